// Governance operations of the organization API (organization API tokens): merged into
// API_OPERATIONS, so the one wrapper enforces them and openapi.ts documents them.
import { projectParams } from "./org-schemas";
import { credentialReportCsvSchema, credentialReportQuery, credentialReportSchema, importedKeySchema, importKeyRequest } from "./governance-schemas";
import type { ApiOperation } from "./operations";

const org = "orgToken" as const;

export const GOVERNANCE_API_OPERATIONS = {
  GetCredentialReport: {
    auth: org, method: "GET", path: "/api/v1/credential-report", status: 200, query: credentialReportQuery, response: credentialReportSchema, errors: [],
    summary: "Credential report",
    description: "Every key of the token's organization (filtered) with age, last use, allowed requests of the last 30 days, expiry and policy findings.",
  },
  GetCredentialReportCsv: {
    auth: org, method: "GET", path: "/api/v1/credential-report.csv", status: 200, query: credentialReportQuery, response: credentialReportCsvSchema,
    produces: "text/csv", errors: [], summary: "Credential report as CSV",
    description: "The same report with the console page's columns and cells, as a CSV file.",
  },
  ImportKey: {
    auth: org, method: "POST", path: "/api/v1/projects/{projectId}/keys/import", status: 201, params: projectParams, body: importKeyRequest,
    response: importedKeySchema, errors: [403, 404, 409], summary: "Import an existing key pair",
    description: "Keeps an access key id and secret from MinIO, Garage, Ceph or AWS as a master or sub key of the project (`key.imported` event). " +
      "409 when the id is already used on the instance. Imported secrets have no Keygate checksum, so leaked-key reports cannot recognize them.",
  },
} as const satisfies Record<string, ApiOperation>;
