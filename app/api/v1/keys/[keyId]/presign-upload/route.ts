import { apiRoute } from "@/lib/api/handler";
import { presignApiUpload } from "@/lib/api/sub-keys";

export const POST = apiRoute("PresignUpload", ({ db, caller, params, body }) => presignApiUpload(db, caller, params.keyId, body));
