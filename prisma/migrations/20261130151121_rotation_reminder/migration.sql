-- AlterTable
ALTER TABLE "AccessKey" ADD COLUMN     "rotationReminderSentAt" TIMESTAMP(3);
