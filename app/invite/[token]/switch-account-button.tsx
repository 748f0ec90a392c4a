"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Signs the wrong account out and comes back to the invitation through sign-in. */
export function SwitchAccountButton({ callbackUrl, email }: { callbackUrl: string; email: string }) {
  const [pending, setPending] = useState(false);
  return (
    <Button variant="secondary" className="mt-3" pending={pending}
      onClick={() => { setPending(true); void signOut({ callbackUrl }); }}>
      Sign out and continue as {email}
    </Button>
  );
}
