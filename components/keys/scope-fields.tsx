"use client";

import { useState } from "react";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import type { PermissionOption, PresetOption } from "@/lib/keys/permission-options";

export type ScopeDefaults = { permissions: string[]; allBuckets: boolean; bucketIds: string[]; prefix: string; allowedCidrs: string[] };
type Props = {
  idPrefix: string;
  permissions: PermissionOption[];
  presets: PresetOption[];
  buckets: { id: string; name: string }[];
  errors: (f: string) => string[] | undefined;
  defaults?: ScopeDefaults;
};

/** Permissions (presets + basic + granular), bucket scope, prefix and IP limits of a sub key. */
export function ScopeFields({ idPrefix, permissions, presets, buckets, errors, defaults }: Props) {
  const [perms, setPerms] = useState<string[]>(defaults?.permissions ?? ["read", "list"]);
  const [all, setAll] = useState(defaults?.allBuckets ?? true);
  // Unchecking a basic permission drops the granular ones that need it.
  const toggle = (p: string) =>
    setPerms((cur) => (cur.includes(p) ? cur.filter((x) => x !== p && permissions.find((o) => o.value === x)?.requires !== p) : [...cur, p]));
  const permErrors = errors("permissions");
  return (
    <div className="space-y-4">
      <fieldset aria-describedby={permErrors ? `${idPrefix}-perm-errors` : undefined}>
        <legend className="text-sm font-medium">Permissions</legend>
        <div className="mt-2 flex flex-wrap gap-2">
          {presets.map((p) => (
            <button key={p.id} type="button" onClick={() => setPerms(p.permissions)}
              className="rounded-full border border-gray-300 px-3 py-1 text-xs hover:bg-gray-50">{p.label}</button>
          ))}
        </div>
        {/* Each granular permission sits under the basic one it extends, and can only be
            chosen with it: the same rule lib/keys/permissions.ts enforces on the server. */}
        <div className="mt-3 grid grid-cols-1 gap-3 md:grid-cols-2">
          {permissions.filter((p) => !p.requires).map((basic) => (
            <div key={basic.value} data-testid={`permission-group-${basic.value}`} className="rounded-md border border-gray-200 p-3">
              <PermissionBox option={basic} checked={perms.includes(basic.value)} onToggle={toggle} />
              {permissions.filter((p) => p.requires === basic.value).map((child) => (
                <div key={child.value} className="mt-2 ml-6 border-l border-gray-200 pl-3">
                  <PermissionBox option={child} checked={perms.includes(child.value)} disabled={!perms.includes(basic.value)} onToggle={toggle} needs={basic.label} />
                </div>
              ))}
            </div>
          ))}
        </div>
        {permErrors && <ul id={`${idPrefix}-perm-errors`} className="mt-1 text-sm text-red-600">{permErrors.map((e) => <li key={e}>{e}</li>)}</ul>}
      </fieldset>
      <fieldset>
        <legend className="text-sm font-medium">Buckets</legend>
        <div className="mt-2 flex gap-4 text-sm">
          <label className="flex items-center gap-2"><input type="radio" name="bucketScope" value="all" checked={all} onChange={() => setAll(true)} /> All buckets of the project</label>
          <label className="flex items-center gap-2"><input type="radio" name="bucketScope" value="selected" checked={!all} onChange={() => setAll(false)} /> Only these buckets</label>
        </div>
        {!all && (
          <div className="mt-2 flex flex-wrap gap-3">
            {buckets.length === 0 && <span className="text-sm text-gray-500">This project has no buckets in the key&apos;s region yet: an admin creates them on the project&apos;s Buckets tab.</span>}
            {buckets.map((b) => (
              <label key={b.id} className="flex items-center gap-2 font-mono text-sm">
                <input type="checkbox" name="bucketIds" value={b.id} defaultChecked={defaults?.bucketIds.includes(b.id)} /> {b.name}
              </label>
            ))}
          </div>
        )}
        {errors("bucketIds") && <p className="mt-1 text-sm text-red-600">{errors("bucketIds")!.join(" ")}</p>}
      </fieldset>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <Field label="Object key prefix (optional)" htmlFor={`${idPrefix}-prefix`} errors={errors("prefix")} description="Limit the key to object names starting with this, e.g. uploads/.">
          <Input id={`${idPrefix}-prefix`} name="prefix" defaultValue={defaults?.prefix} placeholder="uploads/" />
        </Field>
        <Field label="Source IP ranges (optional)" htmlFor={`${idPrefix}-cidrs`} errors={errors("allowedCidrs")} description="CIDRs, comma or newline separated. Empty: any address.">
          <Textarea id={`${idPrefix}-cidrs`} name="allowedCidrs" rows={2} defaultValue={defaults?.allowedCidrs.join("\n")} placeholder="10.0.0.0/8" />
        </Field>
      </div>
    </div>
  );
}

function PermissionBox({ option, checked, disabled, onToggle, needs }: { option: PermissionOption; checked: boolean; disabled?: boolean; onToggle: (p: string) => void; needs?: string }) {
  return (
    <label className={`flex items-start gap-2 text-sm ${disabled ? "opacity-60" : ""}`}>
      <input type="checkbox" name="permissions" value={option.value} checked={checked} disabled={disabled} onChange={() => onToggle(option.value)} className="mt-0.5 h-4 w-4 shrink-0" />
      <span>
        <span className="font-medium">{option.label}</span>
        <span className="block text-xs text-gray-500">{option.description}{needs && disabled ? ` Needs ${needs}.` : ""}</span>
      </span>
    </label>
  );
}
