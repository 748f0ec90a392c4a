"use client";

import * as Sheet from "@radix-ui/react-dialog";
import { LogOut, Menu, X } from "lucide-react";
import { signOut } from "next-auth/react";
import { usePathname } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import {
  DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";

export type HeaderUser = { name?: string | null; email: string };

type HeaderProps = {
  user: HeaderUser;
  /** Sidebar content for the small-screen drawer (menu button hidden from md up). */
  mobileNav?: ReactNode;
  /** Left-hand content (breadcrumbs, page context). */
  children?: ReactNode;
};

function initials({ name, email }: HeaderUser) {
  const source = name?.trim() || email;
  const parts = source.split(/[\s@._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (name?.trim() && parts[1] ? parts[1][0] : "")).toUpperCase();
}

function MobileNav({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  useEffect(() => setOpen(false), [pathname]); // close after navigating
  return (
    <Sheet.Root open={open} onOpenChange={setOpen}>
      <Sheet.Trigger aria-label="Open navigation"
        className="inline-flex size-9 items-center justify-center rounded-control text-gray-600 hover:bg-gray-100 focus-visible:outline-2 focus-visible:outline-accent md:hidden">
        <Menu aria-hidden="true" className="size-5" />
      </Sheet.Trigger>
      <Sheet.Portal>
        <Sheet.Overlay className="fixed inset-0 z-40 bg-gray-950/40 data-[state=open]:animate-[kg-fade-in_120ms_ease-out] md:hidden" />
        <Sheet.Content aria-describedby={undefined}
          className="fixed inset-y-0 left-0 z-50 w-72 max-w-[85vw] overflow-y-auto border-r border-gray-200 bg-gray-50 shadow-xl outline-hidden data-[state=open]:animate-[kg-slide-in-left_160ms_ease-out] md:hidden">
          <Sheet.Title className="sr-only">Navigation</Sheet.Title>
          <Sheet.Close aria-label="Close navigation"
            className="absolute top-3 right-3 z-10 inline-flex size-8 items-center justify-center rounded-control text-gray-500 hover:bg-gray-200/60 focus-visible:outline-2 focus-visible:outline-accent">
            <X aria-hidden="true" className="size-4" />
          </Sheet.Close>
          {children}
        </Sheet.Content>
      </Sheet.Portal>
    </Sheet.Root>
  );
}

export function Header({ user, mobileNav, children }: HeaderProps) {
  const [signingOut, setSigningOut] = useState(false);
  return (
    <header className="sticky top-0 z-30 flex h-14 shrink-0 items-center gap-3 border-b border-gray-200 bg-white/90 px-4 backdrop-blur md:px-8">
      {mobileNav && <MobileNav>{mobileNav}</MobileNav>}
      <div className="min-w-0 flex-1 truncate text-sm text-gray-600">{children}</div>
      <DropdownMenu>
        <DropdownMenuTrigger
          aria-label={`Account menu for ${user.name || user.email}`}
          className={cn(
            "flex h-9 items-center gap-2 rounded-full py-1 pr-1 pl-1 outline-hidden transition-colors hover:bg-gray-100",
            "focus-visible:outline-2 focus-visible:outline-accent data-[state=open]:bg-gray-100 sm:rounded-control sm:pr-2.5",
          )}
        >
          <span aria-hidden="true" className="flex size-7 items-center justify-center rounded-full bg-gray-200 text-xs font-semibold text-gray-700">
            {initials(user)}
          </span>
          <span className="hidden max-w-48 truncate text-sm text-gray-700 sm:block">{user.name || user.email}</span>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-64">
          <DropdownMenuLabel className="pb-2 font-normal">
            {user.name && <span className="block truncate text-sm font-medium text-gray-900">{user.name}</span>}
            <span className="block truncate text-xs text-gray-500">{user.email}</span>
          </DropdownMenuLabel>
          <DropdownMenuSeparator />
          <DropdownMenuItem
            disabled={signingOut}
            onSelect={() => {
              setSigningOut(true);
              void signOut({ callbackUrl: "/signin" });
            }}
          >
            <LogOut aria-hidden="true" />
            {signingOut ? "Signing out…" : "Sign out"}
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    </header>
  );
}
