"use client";

import { createContext, useCallback, useContext, useState, type ReactNode } from "react";
import { IssuedKeyDialog, type IssuedKeyView } from "./issued-key-dialog";

const IssuedKeyContext = createContext<(view: IssuedKeyView) => void>(() => {
  throw new Error("IssuedKeyProvider is missing");
});

/**
 * Holds the "save your secret" dialog above the page: the action that issues a secret also
 * revalidates the page, which may unmount the button or form that started it (a "Create"
 * button becomes a "Reset" button), so the dialog cannot live inside that component.
 */
export function IssuedKeyProvider({ children }: { children: ReactNode }) {
  const [issued, setIssued] = useState<IssuedKeyView | null>(null);
  const show = useCallback((view: IssuedKeyView) => setIssued(view), []);
  return (
    <IssuedKeyContext.Provider value={show}>
      {children}
      <IssuedKeyDialog issued={issued} onClose={() => setIssued(null)} />
    </IssuedKeyContext.Provider>
  );
}

export const useShowIssuedKey = () => useContext(IssuedKeyContext);
