"use client";

import { Check, Copy } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Button, type ButtonSize, type ButtonVariant } from "./button";
import { cn } from "./cn";

/** Copies text; falls back to execCommand where the async clipboard API is unavailable (plain-http hosts). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the legacy path
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.cssText = "position:fixed;top:0;left:0;opacity:0;pointer-events:none";
  const previous = document.activeElement as HTMLElement | null;
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  previous?.focus();
  return ok;
}

type CopyButtonProps = {
  value: string;
  /** Accessible name, e.g. "Copy secret access key". */
  label?: string;
  /** Show "Copy"/"Copied" text next to the icon (icon-only otherwise). */
  showText?: boolean;
  variant?: ButtonVariant;
  size?: ButtonSize;
  className?: string;
  onCopied?: () => void;
};

export function CopyButton({ value, label = "Copy to clipboard", showText = false, variant = "ghost", size, className, onCopied }: CopyButtonProps) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  async function onClick() {
    const ok = await copyText(value);
    setState(ok ? "copied" : "failed");
    if (ok) onCopied?.();
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState("idle"), 2000);
  }

  const text = state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy";
  // Icon-only buttons still show the word while confirming a copy.
  const withText = showText || state !== "idle";
  return (
    <>
      <Button
        variant={variant}
        size={size && !(withText && size.startsWith("icon")) ? size : withText ? "sm" : "icon-sm"}
        onClick={onClick}
        aria-label={showText ? undefined : label}
        title={showText ? undefined : label}
        className={cn(className, state === "copied" && "text-green-700 hover:text-green-700", state === "failed" && "text-red-600", withText && !showText && "w-auto px-2")}
      >
        {state === "copied" ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
        {withText && <span>{text}</span>}
      </Button>
      <span role="status" aria-live="polite" className="sr-only">{state === "idle" ? "" : text}</span>
    </>
  );
}
