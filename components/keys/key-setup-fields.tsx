"use client";

import { useState } from "react";
import { ExpiryField } from "@/components/keys/expiry-field";
import { OwnerField, type OwnerOption } from "@/components/keys/owner-field";
import { SubmitButton } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";

export type RegionBucket = { id: string; name: string; regionId: string };
type Errors = (f: string) => string[] | undefined;

/** A new key's region; the sub key scope offers only the buckets of that region. */
export function useKeyRegion(regions: string[], buckets: RegionBucket[]) {
  const [region, setRegion] = useState(regions[0]);
  return { region, setRegion, regionBuckets: buckets.filter((b) => b.regionId === region) };
}

/** Region, expiry and owner of a new key: the same fields when creating and when importing one. */
export function KeySetupFields({ idPrefix, regions, region, onRegionChange, owners, me, errors }: {
  idPrefix: string; regions: string[]; region: string; onRegionChange: (r: string) => void; owners?: OwnerOption[]; me?: string; errors: Errors;
}) {
  return (
    <>
      <Field label="Region" htmlFor={`${idPrefix}-region`} errors={errors("regionId")}>
        <Select id={`${idPrefix}-region`} name="regionId" value={region} onChange={(e) => onRegionChange(e.target.value)}>
          {regions.map((r) => <option key={r} value={r}>{r}</option>)}
        </Select>
      </Field>
      <ExpiryField idPrefix={idPrefix} errors={errors} />
      <OwnerField idPrefix={idPrefix} owners={owners} defaultOwnerId={me} errors={errors} />
    </>
  );
}

/** The collapsed state of a key form: one link that opens it. */
export function OpenFormLink({ label, onOpen }: { label: string; onOpen: () => void }) {
  return <button type="button" onClick={onOpen} className="text-sm font-medium text-blue-700 hover:underline">{label}</button>;
}

export function FormButtons({ submitLabel, onCancel }: { submitLabel: string; onCancel: () => void }) {
  return (
    <div className="flex gap-2">
      <SubmitButton>{submitLabel}</SubmitButton>
      <button type="button" onClick={onCancel} className="text-sm text-gray-600 hover:underline">Cancel</button>
    </div>
  );
}
