import Link from "next/link";
import { Card } from "@/components/ui/card";

export const metadata = { title: "Check your email" };

export default function CheckEmailPage() {
  return (
    <Card className="p-6">
      <h1 className="text-base font-semibold">Check your email</h1>
      <p className="mt-2 text-sm text-gray-600">
        A sign-in link is on its way. It works once and expires in 24 hours.
      </p>
      <Link href="/signin" className="mt-4 inline-block text-sm text-blue-600 hover:underline">Use another address</Link>
    </Card>
  );
}
