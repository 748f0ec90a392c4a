-- AlterTable
ALTER TABLE "AccessKey" ADD COLUMN     "description" TEXT,
ADD COLUMN     "disabledAt" TIMESTAMP(3),
ADD COLUMN     "previousSealedSecret" TEXT,
ADD COLUMN     "previousSecretLast4" TEXT,
ADD COLUMN     "previousSecretUntil" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "signedWith" TEXT;

-- CreateTable
CREATE TABLE "OrgKeyPolicy" (
    "orgId" TEXT NOT NULL,
    "maxDaysMaster" INTEGER,
    "maxDaysSub" INTEGER,
    "maxDaysUser" INTEGER,
    "memberPlusMayCreateSub" BOOLEAN NOT NULL DEFAULT true,
    "subKeysRequireBuckets" BOOLEAN NOT NULL DEFAULT false,
    "subKeysRequirePrefix" BOOLEAN NOT NULL DEFAULT false,
    "subKeysRequireCidrs" BOOLEAN NOT NULL DEFAULT false,
    "sharingAllowed" BOOLEAN NOT NULL DEFAULT true,
    "maxShareHours" INTEGER,
    "rotationPeriodDays" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" TEXT,

    CONSTRAINT "OrgKeyPolicy_pkey" PRIMARY KEY ("orgId")
);

-- AddForeignKey
ALTER TABLE "OrgKeyPolicy" ADD CONSTRAINT "OrgKeyPolicy_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
