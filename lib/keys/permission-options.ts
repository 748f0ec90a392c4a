import { BASIC_PERMISSIONS, KEY_PERMISSIONS, PERMISSION_INFO, PERMISSION_PRESETS } from "./permissions";

/** Plain data for the key forms (client components cannot import the zod schemas' module graph). */
export const PERMISSION_OPTIONS = KEY_PERMISSIONS.map((value) => ({ value, ...PERMISSION_INFO[value] }));
export const PERMISSION_PRESET_OPTIONS = PERMISSION_PRESETS.map((p) => ({ id: p.id, label: p.label, permissions: [...p.permissions] as string[] }));
export type PermissionOption = (typeof PERMISSION_OPTIONS)[number];
export type PresetOption = (typeof PERMISSION_PRESET_OPTIONS)[number];

/** Each basic permission with the granular ones that extend it: how the form, CLI help and docs group them. */
export const PERMISSION_GROUPS = BASIC_PERMISSIONS.map((basic) => ({
  basic: PERMISSION_OPTIONS.find((o) => o.value === basic)!,
  granular: PERMISSION_OPTIONS.filter((o) => o.requires === basic),
}));
