"use client";

import { ActionForm, type FormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { KeyPolicy } from "@/lib/policies/key-policy";

type NumberField = "maxDaysMaster" | "maxDaysSub" | "maxDaysUser" | "maxShareHours" | "rotationPeriodDays";
type FlagField = "memberPlusMayCreateSub" | "subKeysRequireBuckets" | "subKeysRequirePrefix" | "subKeysRequireCidrs" | "sharingAllowed";

const NUMBERS: { name: NumberField; unit: string }[] = [
  { name: "maxDaysMaster", unit: "days" }, { name: "maxDaysSub", unit: "days" }, { name: "maxDaysUser", unit: "days" },
  { name: "maxShareHours", unit: "hours" }, { name: "rotationPeriodDays", unit: "days" },
];
const FLAGS: FlagField[] = ["memberPlusMayCreateSub", "subKeysRequireBuckets", "subKeysRequirePrefix", "subKeysRequireCidrs", "sharingAllowed"];

/** The whole policy in one form; empty number fields mean "no limit". */
export function KeyPolicyForm({ action, policy, labels }: { action: FormAction; policy: KeyPolicy; labels: Record<keyof KeyPolicy, string> }) {
  return (
    <ActionForm action={action} className="space-y-5" resetOnSuccess={false}>
      {({ errors }) => (
        <>
          <div className="grid gap-4 sm:grid-cols-2">
            {NUMBERS.map(({ name, unit }) => (
              <Field key={name} label={`${labels[name]} (${unit})`} htmlFor={`policy-${name}`} errors={errors(name)} description="Empty: no limit.">
                <Input id={`policy-${name}`} name={name} type="number" min={1} defaultValue={policy[name] ?? ""} />
              </Field>
            ))}
          </div>
          <div className="space-y-2">
            {FLAGS.map((name) => (
              <Checkbox key={name} id={`policy-${name}`} name={name} label={labels[name]} defaultChecked={policy[name]} />
            ))}
          </div>
          <SubmitButton>Save policy</SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
