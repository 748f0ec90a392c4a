"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import { X } from "lucide-react";
import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

export const Dialog = RadixDialog.Root;
export const DialogTrigger = RadixDialog.Trigger;
export const DialogClose = RadixDialog.Close;

type DialogContentProps = ComponentProps<typeof RadixDialog.Content> & {
  /** Width preset. */
  size?: "sm" | "md" | "lg";
  /** Renders the corner close (X) button. */
  showClose?: boolean;
};

const widths = { sm: "max-w-sm", md: "max-w-md", lg: "max-w-2xl" };

/** Overlay + centred panel, rendered in a portal. Put DialogHeader/DialogFooter inside. */
export function DialogContent({ size = "md", showClose = true, className, children, ...props }: DialogContentProps) {
  return (
    <RadixDialog.Portal>
      <RadixDialog.Overlay className="fixed inset-0 z-50 bg-gray-950/40 data-[state=open]:animate-[kg-fade-in_120ms_ease-out]" />
      <RadixDialog.Content
        className={cn(
          "fixed top-1/2 left-1/2 z-50 w-[calc(100vw-2rem)] -translate-x-1/2 -translate-y-1/2 rounded-card border border-gray-200 bg-white shadow-xl outline-hidden",
          "max-h-[calc(100vh-2rem)] overflow-y-auto data-[state=open]:animate-[kg-pop-in_140ms_ease-out]",
          widths[size],
          className,
        )}
        {...props}
      >
        {children}
        {showClose && (
          <RadixDialog.Close
            aria-label="Close"
            className="absolute top-3 right-3 inline-flex size-7 items-center justify-center rounded-control text-gray-500 hover:bg-gray-100 hover:text-gray-900 focus-visible:outline-2 focus-visible:outline-accent"
          >
            <X aria-hidden="true" className="size-4" />
          </RadixDialog.Close>
        )}
      </RadixDialog.Content>
    </RadixDialog.Portal>
  );
}

/** Title + optional description at the top of a dialog. */
export function DialogHeader({ title, description, className, children }: { title: ReactNode; description?: ReactNode; className?: string; children?: ReactNode }) {
  return (
    <div className={cn("space-y-1.5 px-5 pt-5 pb-4 pr-12", className)}>
      <DialogTitle>{title}</DialogTitle>
      {description && <DialogDescription>{description}</DialogDescription>}
      {children}
    </div>
  );
}

export function DialogTitle({ className, ...props }: ComponentProps<typeof RadixDialog.Title>) {
  return <RadixDialog.Title className={cn("text-base font-semibold text-gray-900", className)} {...props} />;
}

export function DialogDescription({ className, ...props }: ComponentProps<typeof RadixDialog.Description>) {
  return <RadixDialog.Description className={cn("text-sm text-gray-600", className)} {...props} />;
}

/** Padded body area between header and footer. */
export function DialogBody({ className, ...props }: ComponentProps<"div">) {
  return <div className={cn("px-5 pb-4", className)} {...props} />;
}

/** Right-aligned action row at the bottom of a dialog. */
export function DialogFooter({ className, ...props }: ComponentProps<"div">) {
  return (
    <div
      className={cn("flex flex-col-reverse gap-2 rounded-b-card border-t border-gray-200 bg-gray-50/70 px-5 py-3 sm:flex-row sm:justify-end", className)}
      {...props}
    />
  );
}
