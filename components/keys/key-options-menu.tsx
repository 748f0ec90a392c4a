"use client";

import Link from "next/link";
import { useState } from "react";
import { Ban, Eye, KeyRound, Mail, MoreVertical, PauseCircle, PlayCircle } from "lucide-react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import type { ActionResult } from "@/lib/action-result";
import type { IssuedKeyView } from "./issued-key-dialog";
import { useShowIssuedKey } from "./issued-key-provider";

type Props = {
  name: string;
  href: string;
  /** Live keys only; master keys cannot be shared. */
  canRotate: boolean;
  canShare: boolean;
  canRevoke: boolean;
  rotate: () => Promise<ActionResult>;
  revoke: () => Promise<ActionResult>;
  /** Disable / Enable: for Active and Disabled keys (reversible). */
  disabled: boolean;
  canToggleDisabled: boolean;
  setDisabled: (disabled: boolean) => Promise<ActionResult>;
};

/**
 * The ⋮ menu of a key row: View, Rotate, Share, Disable / Enable, Revoke (Radix menu: arrow keys, Enter, Escape).
 * The confirmation dialogs live outside the menu, opened once it has closed, so focus returns
 * to the ⋮ button afterwards.
 */
export function KeyOptionsMenu({ name, href, canRotate, canShare, canRevoke, rotate, revoke, disabled, canToggleDisabled, setDisabled }: Props) {
  const showIssued = useShowIssuedKey();
  const [dialog, setDialog] = useState<"rotate" | "revoke" | "toggle" | null>(null);
  const close = (open: boolean) => { if (!open) setDialog(null); };
  return (
    <>
      <DropdownMenu modal={false}>
        <DropdownMenuTrigger aria-label={`Options for ${name}`}
          className="inline-flex size-8 items-center justify-center rounded-control text-gray-500 outline-hidden hover:bg-gray-100 focus-visible:outline-2 focus-visible:outline-accent data-[state=open]:bg-gray-100">
          <MoreVertical aria-hidden="true" className="size-4" />
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-44">
          <DropdownMenuItem asChild><Link href={href}><Eye aria-hidden="true" />View</Link></DropdownMenuItem>
          {canRotate && <DropdownMenuItem onSelect={() => setDialog("rotate")}><KeyRound aria-hidden="true" />Rotate</DropdownMenuItem>}
          {canShare && <DropdownMenuItem asChild><Link href={`${href}?share=1`}><Mail aria-hidden="true" />Share</Link></DropdownMenuItem>}
          {canToggleDisabled && (
            <DropdownMenuItem onSelect={() => setDialog("toggle")}>
              {disabled ? <><PlayCircle aria-hidden="true" />Enable</> : <><PauseCircle aria-hidden="true" />Disable</>}
            </DropdownMenuItem>
          )}
          {canRevoke && (
            <>
              <DropdownMenuSeparator />
              <DropdownMenuItem variant="danger" onSelect={() => setDialog("revoke")}><Ban aria-hidden="true" />Revoke</DropdownMenuItem>
            </>
          )}
        </DropdownMenuContent>
      </DropdownMenu>
      <ConfirmDialog open={dialog === "rotate"} onOpenChange={close} title={`Rotate ${name}?`}
        description="The access key ID stays the same. A new secret is shown once and the old secret stops working immediately."
        confirmLabel="Rotate secret" action={() => rotate()} onSuccess={(r) => { if (r.ok) showIssued(r.data as IssuedKeyView); }} />
      <ConfirmDialog open={dialog === "toggle"} onOpenChange={close} title={`${disabled ? "Enable" : "Disable"} ${name}?`}
        description={disabled ? "The key works again from the next request on, exactly as before it was disabled."
          : "Requests with this key are refused from the next one on, until you enable it again. Nothing else about the key changes."}
        confirmLabel={disabled ? "Enable key" : "Disable key"} action={() => setDisabled(!disabled)} />
      <ConfirmDialog open={dialog === "revoke"} onOpenChange={close} title={`Revoke ${name}?`}
        description="Requests with this key fail from the next one on. This cannot be undone." confirmLabel="Revoke key" destructive
        action={() => revoke()} />
    </>
  );
}
