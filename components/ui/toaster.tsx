"use client";

import { Toaster as Sonner } from "sonner";

/** App-wide toast outlet; render once in the root layout and call `toast()` from "sonner". */
export function Toaster() {
  return (
    <Sonner
      richColors
      closeButton
      position="top-right"
      toastOptions={{ style: { fontFamily: "var(--font-sans)", fontSize: "14px" } }}
    />
  );
}
