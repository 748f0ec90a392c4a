"use client";

import { useState } from "react";
import { ActionForm, type FormAction } from "@/components/forms/action-form";
import { Button, SubmitButton } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Select } from "@/components/ui/select";
import { initialActionResult } from "@/lib/action-result";
import { ROLE_OPTIONS, revokedOnRoleChange } from "./role-change";

type Props = { action: FormAction; membershipId: string; email: string; role: string; liveKeys: { MASTER: number; SUB: number; USER: number } };

/**
 * Role select with Save. A change that revokes keys (to Member: all of them; Admin to Member+:
 * master keys) asks first and says how many; revoked keys stay revoked if the role comes back.
 */
export function RoleForm({ action, membershipId, email, role, liveKeys }: Props) {
  const [next, setNext] = useState(role);
  const lost = revokedOnRoleChange(role, next, liveKeys);
  const label = ROLE_OPTIONS.find((o) => o.value === next)?.label ?? next;
  // The dialog sits outside the form: React bubbles submit events through portals.
  return (
    <div className="flex items-start gap-2">
      <Select value={next} onChange={(e) => setNext(e.target.value)} aria-label={`Role of ${email}`} className="w-32">
        {ROLE_OPTIONS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </Select>
      {lost > 0 ? (
        <ConfirmDialog trigger={<Button variant="secondary" size="sm">Save</Button>} destructive
          title={`Make ${email} ${label}?`}
          description={`${lost} active key${lost === 1 ? "" : "s"} owned by ${email} will be revoked at once. Promoting them again later does not bring these keys back: they would create new ones.`}
          confirmLabel={`Change role and revoke ${lost} key${lost === 1 ? "" : "s"}`}
          hiddenFields={{ membershipId, role: next }}
          action={(fd) => action(initialActionResult, fd)} />
      ) : (
        <ActionForm action={action} resetOnSuccess={false}>
          {() => (
            <>
              <input type="hidden" name="membershipId" value={membershipId} />
              <input type="hidden" name="role" value={next} />
              <SubmitButton variant="secondary" size="sm">Save</SubmitButton>
            </>
          )}
        </ActionForm>
      )}
    </div>
  );
}
