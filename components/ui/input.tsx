import type { ComponentProps } from "react";
import { cn } from "./cn";

/** Shared look of text-like controls (input, textarea, select). */
export const controlClasses =
  "w-full rounded-control border border-gray-300 bg-white text-sm text-gray-900 shadow-xs outline-hidden transition-[border-color,box-shadow] " +
  "placeholder:text-gray-400 hover:border-gray-400 focus:border-accent focus:ring-3 focus:ring-accent/20 " +
  "disabled:cursor-not-allowed disabled:bg-gray-50 disabled:text-gray-500 [&[readonly]]:bg-gray-50 " +
  "aria-invalid:border-red-500 aria-invalid:focus:ring-red-500/20";

export type InputProps = ComponentProps<"input">;

export function Input({ className, type = "text", ...props }: InputProps) {
  return <input type={type} className={cn(controlClasses, "h-9 px-3", className)} {...props} />;
}
