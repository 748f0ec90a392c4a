"use client";

import { useState } from "react";
import { ActionForm, type FormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { DefaultRetention } from "@/lib/storage/types";

/** The bucket's default retention: none, or GOVERNANCE / COMPLIANCE for a number of days or years. */
export function RetentionForm({ action, current }: { action: FormAction; current?: DefaultRetention }) {
  const [mode, setMode] = useState<string>(current?.mode ?? "none");
  return (
    <ActionForm action={action} className="flex flex-wrap items-end gap-3" resetOnSuccess={false}>
      {({ errors }) => (
        <>
          <Field label="Default retention" htmlFor="retention-mode" errors={errors("mode")}>
            <Select id="retention-mode" name="mode" value={mode} onChange={(e) => setMode(e.target.value)}>
              <option value="none">None</option>
              <option value="GOVERNANCE">GOVERNANCE</option>
              <option value="COMPLIANCE">COMPLIANCE</option>
            </Select>
          </Field>
          {mode !== "none" && (
            <>
              <Field label="Period" htmlFor="retention-period" errors={errors("period")}>
                <Input id="retention-period" name="period" type="number" min={1} required defaultValue={current?.days ?? current?.years ?? 30} className="w-28" />
              </Field>
              <Field label="Unit" htmlFor="retention-unit" errors={errors("unit")}>
                <Select id="retention-unit" name="unit" defaultValue={current?.years ? "years" : "days"}>
                  <option value="days">days</option>
                  <option value="years">years</option>
                </Select>
              </Field>
            </>
          )}
          <SubmitButton variant="secondary">Save default retention</SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
