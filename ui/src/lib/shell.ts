// Generated from the shell's Rust types by `cargo test -p ishc-app` (UPDATE_SNAPSHOTS=1). Do not edit.
import type { Club, CoreError } from "./bindings";
export type ApiError = CoreError;
export type AppStatus = "ready" | "no_club" | "busy" | "error";
export type AppState = { status: AppStatus, db_path: string, 
/**
 * Set when status is "error" (a damaged, newer or unreadable file).
 */
error: ApiError | null, clubs: Array<Club>, today: string, version: string, };
