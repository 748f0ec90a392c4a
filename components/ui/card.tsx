import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

/** A bordered surface. No padding of its own: use CardHeader/CardContent/CardFooter or `className="p-4"`. */
export function Card({ className, ...props }: ComponentProps<"div">) {
  return <div className={cn("rounded-card border border-gray-200 bg-white shadow-xs", className)} {...props} />;
}

type CardHeaderProps = Omit<ComponentProps<"div">, "title"> & { title?: ReactNode; description?: ReactNode; actions?: ReactNode };

/** Title row of a card; renders `title`/`description`/`actions` or arbitrary children. */
export function CardHeader({ title, description, actions, className, children, ...props }: CardHeaderProps) {
  return (
    <div className={cn("flex items-start justify-between gap-4 px-5 pt-4 pb-3", className)} {...props}>
      {(title || description) && (
        <div className="min-w-0 space-y-0.5">
          {title && <CardTitle>{title}</CardTitle>}
          {description && <CardDescription>{description}</CardDescription>}
        </div>
      )}
      {children}
      {actions && <div className="flex shrink-0 items-center gap-2">{actions}</div>}
    </div>
  );
}

export function CardTitle({ className, ...props }: ComponentProps<"h2">) {
  return <h2 className={cn("text-[15px] font-semibold text-gray-900", className)} {...props} />;
}

export function CardDescription({ className, ...props }: ComponentProps<"p">) {
  return <p className={cn("text-[13px] text-gray-500", className)} {...props} />;
}

export function CardContent({ className, ...props }: ComponentProps<"div">) {
  return <div className={cn("px-5 pb-5", className)} {...props} />;
}

export function CardFooter({ className, ...props }: ComponentProps<"div">) {
  return (
    <div
      className={cn("flex items-center justify-end gap-2 rounded-b-card border-t border-gray-200 bg-gray-50/70 px-5 py-3", className)}
      {...props}
    />
  );
}
