import type { ReactNode } from "react";
import { cn } from "./cn";

type EmptyStateProps = {
  /** Usually a lucide icon, e.g. <KeyRound className="h-6 w-6" />. */
  icon?: ReactNode;
  title: ReactNode;
  description?: ReactNode;
  /** Buttons or links. */
  action?: ReactNode;
  className?: string;
};

export function EmptyState({ icon, title, description, action, className }: EmptyStateProps) {
  return (
    <div className={cn("flex flex-col items-center justify-center rounded-card border border-dashed border-gray-300 bg-white px-6 py-12 text-center", className)}>
      {icon && (
        <div aria-hidden="true" className="mb-4 flex size-11 items-center justify-center rounded-full bg-gray-100 text-gray-500 [&_svg]:size-5">
          {icon}
        </div>
      )}
      <h3 className="text-sm font-semibold text-gray-900">{title}</h3>
      {description && <p className="mt-1 max-w-sm text-sm text-gray-500">{description}</p>}
      {action && <div className="mt-5 flex flex-wrap items-center justify-center gap-2">{action}</div>}
    </div>
  );
}
