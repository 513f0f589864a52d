// Generated from the shell's Rust types by `cargo test -p ishc-app` (UPDATE_SNAPSHOTS=1). Do not edit.
import type { Club, CoreError, Generation } from "./bindings";
export type ApiError = CoreError;
export type AppStatus = "ready" | "no_club" | "busy" | "error";
export type AppState = { status: AppStatus, db_path: string, 
/**
 * Set when status is "error" (a damaged, newer or unreadable file).
 */
error: ApiError | null, clubs: Array<Club>, today: string, version: string, };
export type BackupState = { folder: string, generations: Array<Generation>, 
/**
 * Why the last automatic backup of this session failed (none when it worked or none ran yet).
 */
last_auto_error: ApiError | null, };
