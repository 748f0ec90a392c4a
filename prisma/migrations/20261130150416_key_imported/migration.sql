-- AlterTable
ALTER TABLE "AccessKey" ADD COLUMN     "imported" BOOLEAN NOT NULL DEFAULT false;
