-- AlterTable
ALTER TABLE "Bucket" ADD COLUMN     "corsRules" JSONB;
