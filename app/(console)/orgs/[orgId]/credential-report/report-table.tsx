"use client";

import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { type ConfirmAction, ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TBody, TCell, TH, THead, TRow } from "@/components/ui/table";

type Row = { keyId: string; href: string; live: boolean; cells: string[]; findings: number };
type Props = { headers: string[]; rows: Row[]; action: ConfirmAction };

/** The report's cells as computed on the server (the CSV has the same), with a checkbox per live key. */
export function ReportTable({ headers, rows, action }: Props) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const live = rows.filter((r) => r.live);
  const allChecked = live.length > 0 && live.every((r) => selected.has(r.keyId));
  const toggle = (id: string) => setSelected((s) => {
    const next = new Set(s);
    if (!next.delete(id)) next.add(id);
    return next;
  });
  const ids = [...selected].join(",");
  const n = selected.size;
  const bulk = (verb: "disable" | "revoke") => (
    <ConfirmDialog
      trigger={<Button variant={verb === "revoke" ? "danger" : "secondary"} size="sm" disabled={n === 0}>{verb === "revoke" ? "Revoke" : "Disable"} selected ({n})</Button>}
      title={`${verb === "revoke" ? "Revoke" : "Disable"} ${n} key${n === 1 ? "" : "s"}?`}
      description={verb === "revoke"
        ? "Revoked keys stop working at once and for good. Region key pairs cannot be revoked (reset them instead) and are left as they are."
        : "Disabled keys stop working at once; an admin can enable them again from the key page."}
      confirmLabel={verb === "revoke" ? "Revoke" : "Disable"} destructive={verb === "revoke"}
      action={action} hiddenFields={{ action: verb, keyIds: ids }} onSuccess={() => setSelected(new Set())}
    />
  );
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">{bulk("disable")}{bulk("revoke")}</div>
      <Table className="[&_td]:px-3 [&_th]:px-3" data-testid="credential-report">
        <THead>
          <TRow>
            <TH className="w-8">
              <input type="checkbox" aria-label="Select every active or disabled key" checked={allChecked} disabled={live.length === 0}
                onChange={() => setSelected(allChecked ? new Set() : new Set(live.map((r) => r.keyId)))} />
            </TH>
            {headers.map((h) => <TH key={h}>{h}</TH>)}
          </TRow>
        </THead>
        <TBody>
          {rows.map((r) => (
            <TRow key={r.keyId} data-testid={`report-row-${r.keyId}`}>
              <TCell>
                {r.live && <input type="checkbox" aria-label={`Select ${r.cells[0]}`} checked={selected.has(r.keyId)} onChange={() => toggle(r.keyId)} />}
              </TCell>
              {r.cells.map((c, i) => (
                <TCell key={headers[i]} className={i === 0 ? "" : "whitespace-nowrap text-[13px]"}>
                  {i === 0 ? <Link href={r.href} className="font-medium text-blue-700 hover:underline">{c}</Link>
                    : i === r.cells.length - 1 && c ? <span className="text-amber-700">{c}</span> : c}
                </TCell>
              ))}
            </TRow>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
