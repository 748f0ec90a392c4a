"use client";

import { useRouter } from "next/navigation";
import { useTransition, type ComponentProps, type FormEvent } from "react";
import { FormPendingContext } from "@/components/ui/submit-button";

type Props = Omit<ComponentProps<"form">, "action" | "method" | "onSubmit"> & { action: string };

/**
 * A GET form whose fields become the URL's query (filters and searches: shareable, back button),
 * submitted as a client navigation inside a transition, so a SubmitButton inside shows pending
 * until the new page has arrived. Neither next/form nor a plain form gives that for a navigation
 * to the same page with new search params. Without JavaScript it is a plain GET form.
 */
export function GetForm({ action, children, ...props }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(e.currentTarget)) if (typeof value === "string") query.append(name, value);
    startTransition(() => router.push(`${action}?${query}`));
  };
  return (
    <form action={action} method="get" onSubmit={onSubmit} aria-busy={pending || undefined} {...props}>
      <FormPendingContext.Provider value={pending}>{children}</FormPendingContext.Provider>
    </form>
  );
}
