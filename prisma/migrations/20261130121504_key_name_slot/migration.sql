-- AlterTable
ALTER TABLE "AccessKey" ADD COLUMN     "nameSlot" TEXT;

-- Keys that already share a name (ignoring case) in a project: the oldest keeps the name, each
-- later one gets the last 4 characters of its access key id appended, e.g. "ci-deploy (7QXA)".
-- Events keep the name they were written with.
WITH ranked AS (
  SELECT "id", "name", "accessKeyId",
    row_number() OVER (PARTITION BY "projectId", lower("name") ORDER BY "createdAt", "id") AS n
  FROM "AccessKey" WHERE "kind" <> 'USER'
)
UPDATE "AccessKey" k SET "name" = left(r."name", 57) || ' (' || right(r."accessKeyId", 4) || ')'
FROM ranked r WHERE k."id" = r."id" AND r.n > 1;

UPDATE "AccessKey" SET "nameSlot" = "projectId" || ':' || lower("name") WHERE "kind" <> 'USER';

-- CreateIndex
CREATE UNIQUE INDEX "AccessKey_nameSlot_key" ON "AccessKey"("nameSlot");
