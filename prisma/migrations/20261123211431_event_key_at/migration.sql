-- CreateIndex
CREATE INDEX "Event_keyId_at_idx" ON "Event"("keyId", "at");
