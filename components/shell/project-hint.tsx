"use client";

import { createContext, useContext, useEffect, useState, type ReactNode } from "react";

type Hint = { projectId?: string; set: (id: string | undefined) => void };
const ProjectHintContext = createContext<Hint>({ set: () => {} });

/**
 * Pages outside /projects/:id that still belong to a project (a key and its events) name it
 * here, so the sidebar shows that project instead of "Select a project".
 */
export function ProjectHintProvider({ children }: { children: ReactNode }) {
  const [projectId, set] = useState<string>();
  return <ProjectHintContext.Provider value={{ projectId, set }}>{children}</ProjectHintContext.Provider>;
}

export function CurrentProject({ id }: { id: string }) {
  const { set } = useContext(ProjectHintContext);
  useEffect(() => {
    set(id);
    return () => set(undefined);
  }, [id, set]);
  return null;
}

export const useProjectHint = () => useContext(ProjectHintContext).projectId;
