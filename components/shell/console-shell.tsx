import type { ReactNode } from "react";
import { Header, type HeaderUser } from "./header";
import { ProjectHintProvider } from "./project-hint";
import { Sidebar, type SidebarProps } from "./sidebar";

type ConsoleShellProps = SidebarProps & {
  user: HeaderUser;
  /** Left-hand header content (breadcrumbs). */
  headerContent?: ReactNode;
  children: ReactNode;
};

/**
 * Console frame: sidebar on the left (a drawer behind a menu button below 768px), header on top,
 * page content in a centred column.
 */
export function ConsoleShell({ user, headerContent, children, ...sidebar }: ConsoleShellProps) {
  return (
    <ProjectHintProvider>
    <div className="flex min-h-screen bg-white">
      <a
        href="#main-content"
        className="sr-only z-50 rounded-control bg-white px-3 py-2 text-sm font-medium text-accent shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      {/* The column carries the background down the whole page; the sidebar inside it stays in view. */}
      <div className="hidden w-56 shrink-0 border-r border-gray-200 bg-gray-50 md:block lg:w-60">
        <aside className="sticky top-0 h-screen overflow-y-auto">
          <Sidebar {...sidebar} />
        </aside>
      </div>
      <div className="flex min-w-0 flex-1 flex-col">
        <Header user={user} mobileNav={<Sidebar {...sidebar} />}>{headerContent}</Header>
        <main id="main-content" tabIndex={-1} className="flex-1 px-4 py-6 outline-hidden md:px-8 md:py-8">
          <div className="mx-auto w-full max-w-6xl">{children}</div>
        </main>
      </div>
    </div>
    </ProjectHintProvider>
  );
}
