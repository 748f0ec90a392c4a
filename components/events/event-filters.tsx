import Link from "next/link";
import { Download } from "lucide-react";
import { GetForm } from "@/components/forms/get-form";
import { buttonClasses, SubmitButton } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { EVENT_REGISTRY } from "@/lib/events/registry";
import type { EventType } from "@/lib/events/types";

type Values = Record<string, string | string[] | undefined>;
type KeyChoice = { name: string; accessKeyId: string; revokedAt: Date | null; orgName?: string };

export type EventFiltersProps = {
  /** The page itself: the form submits here with GET, so filters live in the URL (shareable, back button). */
  action: string;
  /** The current search params, to prefill the fields. */
  values: Values;
  /** Event types offered in the type menu. */
  types: readonly EventType[];
  /** Extra fields of the organization, project and instance views. */
  showKey?: boolean;
  showActor?: boolean;
  showOrg?: boolean;
  /** Export link for the filtered set (already carrying the filters). */
  exportHref: string;
  /** Keys to pick from by name (value: access key ID): a menu (organization and project views). */
  keyChoices?: KeyChoice[];
  /** Keys suggested by name while typing (operator area: too many for a menu); any access key ID still works. */
  keySuggestions?: KeyChoice[];
  /** Field errors from lib/events/query-filters safeParseEventFilters. */
  errors?: Record<string, string[]>;
};

const value = (values: Values, name: string) => {
  const v = values[name];
  return (Array.isArray(v) ? v[0] : v) ?? "";
};

const choiceLabel = (k: KeyChoice) => [k.name, k.orgName, k.revokedAt ? "revoked" : null].filter(Boolean).join(" · ");

/**
 * The filter bar of every event view: a GET form (filters live in the URL: shareable, back
 * button); "Apply filters" shows pending until the filtered page has arrived.
 */
export function EventFilters({ action, values, types, showKey, showActor, showOrg, exportHref, keyChoices, keySuggestions, errors = {} }: EventFiltersProps) {
  const text = (name: string, label: string, placeholder?: string) => (
    <Field label={label} errors={errors[name]}>
      <Input name={name} defaultValue={value(values, name)} placeholder={placeholder} autoComplete="off" />
    </Field>
  );
  return (
    <GetForm action={action} role="search" aria-label="Filter events"
      className="grid grid-cols-1 gap-3 rounded-card border border-gray-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4">
      <Field label="Event type" errors={errors.type}>
        <Select name="type" defaultValue={value(values, "type")}>
          <option value="">All types</option>
          {types.map((t) => <option key={t} value={t}>{EVENT_REGISTRY[t].label}</option>)}
        </Select>
      </Field>
      <Field label="Outcome" errors={errors.outcome}>
        <Select name="outcome" defaultValue={value(values, "outcome")}>
          <option value="">Any outcome</option>
          <option value="allowed">Allowed</option>
          <option value="denied">Denied</option>
        </Select>
      </Field>
      {text("bucket", "Bucket", "bucket name")}
      {showKey && keyChoices && (
        <Field label="Key" errors={errors.keyId}>
          <Select name="keyId" defaultValue={value(values, "keyId")}>
            <option value="">All keys</option>
            {keyChoices.map((k) => <option key={k.accessKeyId} value={k.accessKeyId}>{choiceLabel(k)}</option>)}
          </Select>
        </Field>
      )}
      {showKey && !keyChoices && (
        <Field label="Key" errors={errors.keyId}>
          <Input name="keyId" defaultValue={value(values, "keyId")} placeholder="type a key name, or an access key ID" autoComplete="off" list="event-key-suggestions" />
        </Field>
      )}
      {/* The browser filters these by name as one types and fills in the access key ID; hidden, so not a grid cell. */}
      {showKey && !keyChoices && keySuggestions && (
        <datalist id="event-key-suggestions">
          {keySuggestions.map((k) => <option key={k.accessKeyId} value={k.accessKeyId} label={choiceLabel(k)} />)}
        </datalist>
      )}
      {showActor && text("actor", "Actor", "email address")}
      {showOrg && text("orgId", "Organization ID")}
      <Field label="From (UTC)" errors={errors.from}>
        <Input type="date" name="from" defaultValue={value(values, "from")} />
      </Field>
      <Field label="To (UTC, inclusive)" errors={errors.to}>
        <Input type="date" name="to" defaultValue={value(values, "to")} />
      </Field>
      <div className="flex flex-wrap items-end gap-2 sm:col-span-2 lg:col-span-4">
        <SubmitButton size="sm">Apply filters</SubmitButton>
        <Link href={action} className={buttonClasses({ variant: "ghost", size: "sm" })}>Reset</Link>
        <a href={exportHref} className={buttonClasses({ variant: "secondary", size: "sm", className: "ml-auto" })} download>
          <Download aria-hidden="true" />Export CSV
        </a>
      </div>
    </GetForm>
  );
}
