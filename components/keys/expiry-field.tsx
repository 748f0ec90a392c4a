"use client";

import { useState } from "react";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

const PRESETS = [
  { value: "7d", label: "7 days" },
  { value: "30d", label: "30 days" },
  { value: "1y", label: "1 year" },
  { value: "custom", label: "Custom date" },
];

/** Expiry preset (30 days by default) or a custom future date. */
export function ExpiryField({ idPrefix, errors }: { idPrefix: string; errors: (f: string) => string[] | undefined }) {
  const [preset, setPreset] = useState("30d");
  return (
    <div className="flex flex-wrap items-start gap-3">
      <Field label="Expires after" htmlFor={`${idPrefix}-expiry`} errors={errors("expiry")}>
        <Select id={`${idPrefix}-expiry`} name="expiry" value={preset} onChange={(e) => setPreset(e.target.value)}>
          {PRESETS.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
        </Select>
      </Field>
      {preset === "custom" && (
        <Field label="Expiry date" htmlFor={`${idPrefix}-expires-at`} errors={errors("expiresAt")}>
          <Input id={`${idPrefix}-expires-at`} name="expiresAt" type="date" required />
        </Field>
      )}
    </div>
  );
}
