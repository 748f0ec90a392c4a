"use client";

import * as RadixTooltip from "@radix-ui/react-tooltip";
import type { ReactElement, ReactNode } from "react";
import { cn } from "./cn";

/** Optional shared provider (one per app section) to share the open delay between tooltips. */
export const TooltipProvider = RadixTooltip.Provider;

type TooltipProps = {
  /** Tooltip text. Supplementary only: the trigger needs its own accessible name. */
  content: ReactNode;
  /** A single focusable element (button, link). */
  children: ReactElement;
  side?: "top" | "right" | "bottom" | "left";
  align?: "start" | "center" | "end";
  delayDuration?: number;
  className?: string;
};

export function Tooltip({ content, children, side = "top", align = "center", delayDuration = 300, className }: TooltipProps) {
  return (
    <RadixTooltip.Provider delayDuration={delayDuration}>
      <RadixTooltip.Root>
        <RadixTooltip.Trigger asChild>{children}</RadixTooltip.Trigger>
        <RadixTooltip.Portal>
          <RadixTooltip.Content
            side={side}
            align={align}
            sideOffset={6}
            className={cn(
              "z-50 max-w-xs rounded-control bg-gray-900 px-2 py-1 text-xs leading-snug text-white shadow-md",
              "data-[state=delayed-open]:animate-[kg-fade-in_100ms_ease-out]",
              className,
            )}
          >
            {content}
            <RadixTooltip.Arrow className="fill-gray-900" />
          </RadixTooltip.Content>
        </RadixTooltip.Portal>
      </RadixTooltip.Root>
    </RadixTooltip.Provider>
  );
}
