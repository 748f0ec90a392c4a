"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

type Props = { callbackUrl: string; error?: string; github: boolean; outboxHint?: string; invitation?: { orgName: string; email: string } };

export function SignInForm({ callbackUrl, error, github, outboxHint, invitation }: Props) {
  const [email, setEmail] = useState(invitation?.email ?? "");
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      setFieldError("Enter a valid email address.");
      return;
    }
    setFieldError(undefined);
    setPending(true);
    await signIn("email", { email: email.trim().toLowerCase(), callbackUrl });
  }

  return (
    <Card className="p-6">
      <h1 className="text-base font-semibold">{invitation ? `Sign in to join ${invitation.orgName}` : "Sign in to Keygate"}</h1>
      <p className="mt-1 text-sm text-gray-500">
        {invitation ? `${invitation.orgName} invited ${invitation.email}. ` : ""}We will email you a sign-in link.
      </p>
      {error && <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-sm text-red-700">{error}</p>}
      <form onSubmit={onSubmit} className="mt-4 space-y-4" noValidate>
        <Field label="Email address" htmlFor="email" errors={fieldError ? [fieldError] : undefined}>
          <Input id="email" name="email" type="email" autoComplete="email" autoFocus value={email}
            onChange={(e) => setEmail(e.target.value)} aria-invalid={Boolean(fieldError)} placeholder="you@example.com" />
        </Field>
        <Button type="submit" className="w-full" pending={pending}>Email me a sign-in link</Button>
      </form>
      {github && (
        <Button variant="secondary" className="mt-3 w-full" onClick={() => signIn("github", { callbackUrl })}>
          Continue with GitHub
        </Button>
      )}
      {outboxHint && <p className="mt-4 text-xs text-gray-500">{outboxHint}</p>}
    </Card>
  );
}
