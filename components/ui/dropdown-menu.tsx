"use client";

import * as Menu from "@radix-ui/react-dropdown-menu";
import type { ComponentProps } from "react";
import { cn } from "./cn";

export const DropdownMenu = Menu.Root;
export const DropdownMenuTrigger = Menu.Trigger;
export const DropdownMenuGroup = Menu.Group;
export const DropdownMenuRadioGroup = Menu.RadioGroup;

/** Menu panel in a portal; `align`/`side`/`sideOffset` as in Radix. */
export function DropdownMenuContent({ className, sideOffset = 6, align = "start", ...props }: ComponentProps<typeof Menu.Content>) {
  return (
    <Menu.Portal>
      <Menu.Content
        sideOffset={sideOffset}
        align={align}
        className={cn(
          "z-50 max-h-[var(--radix-dropdown-menu-content-available-height)] min-w-48 overflow-y-auto rounded-card border border-gray-200 bg-white p-1 text-sm shadow-lg outline-hidden",
          "data-[state=open]:animate-[kg-fade-in_100ms_ease-out]",
          className,
        )}
        {...props}
      />
    </Menu.Portal>
  );
}

const itemClasses =
  "relative flex h-8 cursor-pointer select-none items-center gap-2 rounded-[5px] px-2 text-gray-800 outline-hidden " +
  "data-highlighted:bg-gray-100 data-highlighted:text-gray-900 data-disabled:pointer-events-none data-disabled:opacity-50 " +
  "[&_svg]:size-4 [&_svg]:shrink-0 [&_svg]:text-gray-500";

type ItemProps = ComponentProps<typeof Menu.Item> & { variant?: "default" | "danger" };

/** A menu item. Use `asChild` with a <Link> for navigation, `onSelect` for actions. */
export function DropdownMenuItem({ className, variant = "default", ...props }: ItemProps) {
  return (
    <Menu.Item
      className={cn(itemClasses, variant === "danger" && "text-red-600 data-highlighted:bg-red-50 data-highlighted:text-red-700 [&_svg]:text-red-500", className)}
      {...props}
    />
  );
}

export function DropdownMenuRadioItem({ className, children, ...props }: ComponentProps<typeof Menu.RadioItem>) {
  return (
    <Menu.RadioItem className={cn(itemClasses, "pl-7", className)} {...props}>
      <span className="absolute left-2 flex size-4 items-center justify-center">
        <Menu.ItemIndicator><span className="block size-1.5 rounded-full bg-accent" /></Menu.ItemIndicator>
      </span>
      {children}
    </Menu.RadioItem>
  );
}

export function DropdownMenuLabel({ className, ...props }: ComponentProps<typeof Menu.Label>) {
  return <Menu.Label className={cn("px-2 pt-1.5 pb-1 text-xs font-medium text-gray-500", className)} {...props} />;
}

export function DropdownMenuSeparator({ className, ...props }: ComponentProps<typeof Menu.Separator>) {
  return <Menu.Separator className={cn("-mx-1 my-1 h-px bg-gray-200", className)} {...props} />;
}
