import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-2 text-center">
      <p className="text-sm font-medium text-gray-500">404</p>
      <h1 className="text-lg font-semibold">Not found</h1>
      <p className="text-sm text-gray-600">This page does not exist, or you do not have access to it.</p>
      <Link href="/" className="mt-2 text-sm text-blue-600 hover:underline">Go home</Link>
    </main>
  );
}
