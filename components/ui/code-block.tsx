import type { ReactNode } from "react";
import { cn } from "./cn";
import { CopyButton } from "./copy-button";

type CodeBlockProps = {
  /** The text shown and copied. */
  code: string;
  /** Small caption above the code (e.g. "Secret access key"). */
  label?: ReactNode;
  /** Accessible name of the copy button; defaults to "Copy <label>" or "Copy code". */
  copyLabel?: string;
  copyable?: boolean;
  /** Wrap long lines (for keys) instead of scrolling horizontally (for commands). */
  wrap?: boolean;
  className?: string;
};

export function CodeBlock({ code, label, copyLabel, copyable = true, wrap = false, className }: CodeBlockProps) {
  const name = copyLabel ?? (typeof label === "string" ? `Copy ${label.toLowerCase()}` : "Copy code");
  return (
    <div className={cn("overflow-hidden rounded-control border border-gray-200 bg-gray-50", className)}>
      {label && (
        <div className="flex h-9 items-center justify-between border-b border-gray-200 pl-3 pr-0.5 text-xs font-medium text-gray-500">
          <span>{label}</span>
          {copyable && <CopyButton value={code} label={name} />}
        </div>
      )}
      <div className="relative">
        <pre
          className={cn(
            "px-3 py-2.5 font-mono text-[13px] leading-relaxed text-gray-900",
            wrap ? "whitespace-pre-wrap break-all" : "overflow-x-auto whitespace-pre",
            copyable && !label && "pr-11",
          )}
        >
          <code>{code}</code>
        </pre>
        {copyable && !label && (
          <div className="absolute top-1.5 right-1.5">
            <CopyButton value={code} label={name} className="bg-gray-50 hover:bg-gray-200/70" />
          </div>
        )}
      </div>
    </div>
  );
}
