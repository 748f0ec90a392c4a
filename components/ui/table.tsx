import Link from "next/link";
import { ChevronLeft, ChevronRight } from "lucide-react";
import type { ComponentProps, ReactNode } from "react";
import { buttonClasses } from "./button";
import { cn } from "./cn";

/** A bordered, horizontally scrollable table. */
export function Table({ className, containerClassName, ...props }: ComponentProps<"table"> & { containerClassName?: string }) {
  return (
    <div className={cn("w-full overflow-x-auto rounded-card border border-gray-200 bg-white", containerClassName)}>
      <table className={cn("w-full border-collapse text-left text-sm", className)} {...props} />
    </div>
  );
}

export function THead({ className, ...props }: ComponentProps<"thead">) {
  return <thead className={cn("border-b border-gray-200 bg-gray-50/80", className)} {...props} />;
}

export function TBody({ className, ...props }: ComponentProps<"tbody">) {
  return <tbody className={cn("divide-y divide-gray-100", className)} {...props} />;
}

export function TRow({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={cn("transition-colors [tbody_&]:hover:bg-gray-50/60", className)} {...props} />;
}

/** Header cell (scope="col" by default). */
export function TH({ className, scope = "col", ...props }: ComponentProps<"th">) {
  return (
    <th
      scope={scope}
      className={cn("h-9 whitespace-nowrap px-4 text-xs font-medium text-gray-500", className)}
      {...props}
    />
  );
}

export function TCell({ className, ...props }: ComponentProps<"td">) {
  return <td className={cn("px-4 py-2.5 align-middle text-gray-800", className)} {...props} />;
}

type PaginationProps = {
  /** Link to the previous page; null/undefined renders a disabled "Previous". */
  prevHref?: string | null;
  /** Link to the next page; null/undefined renders a disabled "Next". */
  nextHref?: string | null;
  /** Text on the left, e.g. "Showing 50 keys". */
  summary?: ReactNode;
  label?: string;
  className?: string;
};

/** Keyset pagination: Previous / Next links only. Renders nothing when both are missing and there is no summary. */
export function Pagination({ prevHref, nextHref, summary, label = "Pagination", className }: PaginationProps) {
  if (!prevHref && !nextHref && !summary) return null;
  const item = (href: string | null | undefined, rel: "prev" | "next", children: ReactNode) => {
    const cls = buttonClasses({ variant: "secondary", size: "sm" });
    return href ? (
      <Link href={href} rel={rel} className={cls}>{children}</Link>
    ) : (
      <span aria-disabled="true" className={cls}>{children}</span>
    );
  };
  return (
    <nav aria-label={label} className={cn("flex items-center justify-between gap-4 py-3", className)}>
      <div className="text-[13px] text-gray-500">{summary}</div>
      <div className="flex items-center gap-2">
        {item(prevHref, "prev", <><ChevronLeft aria-hidden="true" />Previous</>)}
        {item(nextHref, "next", <>Next<ChevronRight aria-hidden="true" /></>)}
      </div>
    </nav>
  );
}
