import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-2 text-center">
      <p className="text-sm font-medium text-gray-500">403</p>
      <h1 className="text-lg font-semibold">You do not have access to this page</h1>
      <p className="text-sm text-gray-600">Your role in this organization does not include it. Ask an admin if you need access.</p>
      <Link href="/" className="mt-2 text-sm text-blue-600 hover:underline">Go to your organization</Link>
    </main>
  );
}
