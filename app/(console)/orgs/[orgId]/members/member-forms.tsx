"use client";

import { ActionForm, type FormAction } from "@/components/forms/action-form";
import { SubmitButton } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { ROLE_OPTIONS } from "./role-change";


export function InviteForm({ action }: { action: FormAction }) {
  return (
    <ActionForm action={action} className="flex flex-wrap items-end gap-3">
      {({ errors }) => (
        <>
          <div className="min-w-64 flex-1">
            <Field label="Invite by email" htmlFor="invite-email" errors={errors("email")}>
              <Input id="invite-email" name="email" type="email" placeholder="teammate@example.com" required />
            </Field>
          </div>
          <Field label="Role" htmlFor="invite-role" errors={errors("role")}>
            <Select id="invite-role" name="role" defaultValue="MEMBER">
              {ROLE_OPTIONS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </Select>
          </Field>
          <SubmitButton>Send invitation</SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
