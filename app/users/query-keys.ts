/** React Query key of GET /api/admin/users. */
export const USERS_QUERY_KEY = ["admin-users"] as const;
