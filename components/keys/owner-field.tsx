import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";

export type OwnerOption = { id: string; email: string };

/** Admins choose who owns a new key (default: themselves); the server checks the owner's role. */
export function OwnerField({ idPrefix, owners, defaultOwnerId, errors }: { idPrefix: string; owners?: OwnerOption[]; defaultOwnerId?: string; errors: (f: string) => string[] | undefined }) {
  if (!owners || owners.length < 2) return null;
  return (
    <Field label="Owner" htmlFor={`${idPrefix}-owner`} errors={errors("ownerId")}>
      <Select id={`${idPrefix}-owner`} name="ownerId" defaultValue={defaultOwnerId} className="max-w-64">
        {owners.map((o) => <option key={o.id} value={o.id}>{o.email}</option>)}
      </Select>
    </Field>
  );
}
