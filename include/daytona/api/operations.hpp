// SPDX-License-Identifier: Apache-2.0
// The catalogue: every Daytona REST and toolbox operation, declared once. The client builds its
// requests from these declarations and the emulator's route table matches requests against the
// same ones, so a path can only be wrong in one place (and the TS SDK's wire captures, checked
// in tests/api/, catch it there). Paths use the OpenAPI spec's parameter names.
#ifndef DAYTONA_API_OPERATIONS_HPP
#define DAYTONA_API_OPERATIONS_HPP

#include "daytona/api/operation.hpp"
#include "daytona/config.hpp"

#include <array>

DAYTONA_BEGIN_NAMESPACE
namespace api::ops {

using http::verb;
inline constexpr auto tb = surface::toolbox;

// --- config (API) ---
inline constexpr operation get_config{"get_config", verb::get, "/config", surface::api, true,
                                      "DaytonaConfiguration"};
inline constexpr operation get_health{"get_health", verb::get, "/health", surface::api, true};
inline constexpr operation get_push_access{"get_push_access", verb::get,
                                           "/object-storage/push-access", surface::api, true,
                                           "StorageAccessDto"};

// --- sandbox (API) ---
inline constexpr operation list_sandboxes{"list_sandboxes", verb::get, "/sandbox", surface::api,
                                          true, "ListSandboxesResponse"};
inline constexpr operation create_sandbox{"create_sandbox", verb::post, "/sandbox", surface::api,
                                          false, "Sandbox"};
inline constexpr operation validate_ssh_access{"validate_ssh_access", verb::get,
                                               "/sandbox/ssh-access/validate", surface::api, true,
                                               "SshAccessValidationDto"};
inline constexpr operation get_sandbox{"get_sandbox", verb::get, "/sandbox/{sandboxIdOrName}",
                                       surface::api, true, "Sandbox"};
inline constexpr operation delete_sandbox{"delete_sandbox", verb::delete_,
                                          "/sandbox/{sandboxIdOrName}", surface::api, true,
                                          "Sandbox"};
inline constexpr operation start_sandbox{"start_sandbox", verb::post,
                                         "/sandbox/{sandboxIdOrName}/start", surface::api, true,
                                         "Sandbox"};
inline constexpr operation stop_sandbox{"stop_sandbox", verb::post,
                                        "/sandbox/{sandboxIdOrName}/stop", surface::api, true,
                                        "Sandbox"};
inline constexpr operation archive_sandbox{"archive_sandbox", verb::post,
                                           "/sandbox/{sandboxIdOrName}/archive", surface::api, true,
                                           "Sandbox"};
inline constexpr operation recover_sandbox{"recover_sandbox", verb::post,
                                           "/sandbox/{sandboxIdOrName}/recover", surface::api, true,
                                           "Sandbox"};
inline constexpr operation pause_sandbox{"pause_sandbox", verb::post,
                                         "/sandbox/{sandboxIdOrName}/pause", surface::api, true,
                                         "Sandbox"};
inline constexpr operation resize_sandbox{"resize_sandbox", verb::post,
                                          "/sandbox/{sandboxIdOrName}/resize", surface::api, true,
                                          "Sandbox"};
inline constexpr operation replace_labels{"replace_labels", verb::put,
                                          "/sandbox/{sandboxIdOrName}/labels", surface::api, true,
                                          "SandboxLabels"};
inline constexpr operation create_backup{"create_backup", verb::post,
                                         "/sandbox/{sandboxIdOrName}/backup", surface::api, false,
                                         "Sandbox"};
inline constexpr operation snapshot_sandbox{"snapshot_sandbox", verb::post,
                                            "/sandbox/{sandboxIdOrName}/snapshot", surface::api,
                                            false, "Sandbox"};
inline constexpr operation fork_sandbox{"fork_sandbox", verb::post,
                                        "/sandbox/{sandboxIdOrName}/fork", surface::api, false,
                                        "Sandbox"};
inline constexpr operation get_sandbox_forks{"get_sandbox_forks", verb::get,
                                             "/sandbox/{sandboxIdOrName}/forks", surface::api, true,
                                             "Sandbox[]"};
inline constexpr operation get_sandbox_parent{"get_sandbox_parent", verb::get,
                                              "/sandbox/{sandboxIdOrName}/parent", surface::api,
                                              true, "Sandbox"};
inline constexpr operation get_sandbox_ancestors{"get_sandbox_ancestors", verb::get,
                                                 "/sandbox/{sandboxIdOrName}/ancestors",
                                                 surface::api, true, "Sandbox[]"};
inline constexpr operation set_public{"set_public", verb::post,
                                      "/sandbox/{sandboxIdOrName}/public/{isPublic}", surface::api,
                                      true, "Sandbox"};
inline constexpr operation update_last_activity{"update_last_activity", verb::post,
                                                "/sandbox/{sandboxId}/last-activity", surface::api,
                                                true};
inline constexpr operation set_autostop_interval{"set_autostop_interval", verb::post,
                                                 "/sandbox/{sandboxIdOrName}/autostop/{interval}",
                                                 surface::api, true, "Sandbox"};
inline constexpr operation set_autoarchive_interval{
    "set_autoarchive_interval", verb::post, "/sandbox/{sandboxIdOrName}/autoarchive/{interval}",
    surface::api, true, "Sandbox"};
inline constexpr operation set_autodelete_interval{
    "set_autodelete_interval", verb::post, "/sandbox/{sandboxIdOrName}/autodelete/{interval}",
    surface::api, true, "Sandbox"};
inline constexpr operation update_network_settings{"update_network_settings", verb::post,
                                                   "/sandbox/{sandboxIdOrName}/network-settings",
                                                   surface::api, true, "Sandbox"};
inline constexpr operation get_preview_url{"get_preview_url", verb::get,
                                           "/sandbox/{sandboxIdOrName}/ports/{port}/preview-url",
                                           surface::api, true, "PortPreviewUrl"};
inline constexpr operation get_signed_preview_url{
    "get_signed_preview_url", verb::get,
    "/sandbox/{sandboxIdOrName}/ports/{port}/signed-preview-url", surface::api, false,
    "SignedPortPreviewUrl"};
inline constexpr operation expire_signed_preview_url{
    "expire_signed_preview_url", verb::post,
    "/sandbox/{sandboxIdOrName}/ports/{port}/signed-preview-url/{token}/expire", surface::api,
    true};
inline constexpr operation get_build_logs_url{"get_build_logs_url", verb::get,
                                              "/sandbox/{sandboxIdOrName}/build-logs-url",
                                              surface::api, true, "Url"};
inline constexpr operation create_ssh_access{"create_ssh_access", verb::post,
                                             "/sandbox/{sandboxIdOrName}/ssh-access", surface::api,
                                             false, "SshAccessDto"};
inline constexpr operation revoke_ssh_access{"revoke_ssh_access", verb::delete_,
                                             "/sandbox/{sandboxIdOrName}/ssh-access", surface::api,
                                             true, "Sandbox"};
inline constexpr operation get_toolbox_proxy_url{"get_toolbox_proxy_url", verb::get,
                                                 "/sandbox/{sandboxId}/toolbox-proxy-url",
                                                 surface::api, true, "Url"};

// --- snapshots (API) ---
inline constexpr operation list_snapshots{"list_snapshots", verb::get, "/snapshots", surface::api,
                                          true, "PaginatedSnapshots"};
inline constexpr operation create_snapshot{"create_snapshot", verb::post, "/snapshots",
                                           surface::api, false, "SnapshotDto"};
inline constexpr operation get_snapshot{"get_snapshot", verb::get, "/snapshots/{id}",
                                        surface::api, true, "SnapshotDto"};
inline constexpr operation delete_snapshot{"delete_snapshot", verb::delete_, "/snapshots/{id}",
                                           surface::api, true};
inline constexpr operation activate_snapshot{"activate_snapshot", verb::post,
                                             "/snapshots/{id}/activate", surface::api, true,
                                             "SnapshotDto"};
inline constexpr operation deactivate_snapshot{"deactivate_snapshot", verb::post,
                                               "/snapshots/{id}/deactivate", surface::api, true};
inline constexpr operation get_snapshot_build_logs_url{"get_snapshot_build_logs_url", verb::get,
                                                       "/snapshots/{id}/build-logs-url",
                                                       surface::api, true, "Url"};

// --- volumes (API) ---
inline constexpr operation list_volumes{"list_volumes", verb::get, "/volumes", surface::api, true,
                                        "VolumeDto[]"};
inline constexpr operation create_volume{"create_volume", verb::post, "/volumes", surface::api,
                                         false, "VolumeDto"};
inline constexpr operation get_volume_by_name{"get_volume_by_name", verb::get,
                                              "/volumes/by-name/{name}", surface::api, true,
                                              "VolumeDto"};
inline constexpr operation get_volume{"get_volume", verb::get, "/volumes/{volumeId}", surface::api,
                                      true, "VolumeDto"};
inline constexpr operation delete_volume{"delete_volume", verb::delete_, "/volumes/{volumeId}",
                                         surface::api, true};

// --- info (toolbox) ---
inline constexpr operation get_version{"get_version", verb::get, "/version", tb, true};
inline constexpr operation get_user_home_dir{"get_user_home_dir", verb::get, "/user-home-dir", tb,
                                             true, "UserHomeDirResponse"};
inline constexpr operation get_work_dir{"get_work_dir", verb::get, "/work-dir", tb, true,
                                        "WorkDirResponse"};

// --- process (toolbox) ---
inline constexpr operation execute_command{"execute_command", verb::post, "/process/execute", tb,
                                           false, "ExecuteResponse"};
inline constexpr operation code_run{"code_run", verb::post, "/process/code-run", tb, false,
                                    "CodeRunResponse"};

// --- sessions (toolbox) ---
inline constexpr operation list_sessions{"list_sessions", verb::get, "/process/session", tb, true,
                                         "Session[]"};
inline constexpr operation create_session{"create_session", verb::post, "/process/session", tb,
                                          false};
inline constexpr operation get_entrypoint_session{"get_entrypoint_session", verb::get,
                                                  "/process/session/entrypoint", tb, true,
                                                  "Session"};
inline constexpr operation get_entrypoint_logs{"get_entrypoint_logs", verb::get,
                                               "/process/session/entrypoint/logs", tb, true,
                                               "SessionCommandLogsResponse"};
inline constexpr operation get_session{"get_session", verb::get, "/process/session/{sessionId}",
                                       tb, true, "Session"};
inline constexpr operation delete_session{"delete_session", verb::delete_,
                                          "/process/session/{sessionId}", tb, true};
inline constexpr operation execute_session_command{"execute_session_command", verb::post,
                                                   "/process/session/{sessionId}/exec", tb, false,
                                                   "SessionExecuteResponse"};
inline constexpr operation get_session_command{"get_session_command", verb::get,
                                               "/process/session/{sessionId}/command/{commandId}",
                                               tb, true, "Command"};
inline constexpr operation get_session_command_logs{
    "get_session_command_logs", verb::get,
    "/process/session/{sessionId}/command/{commandId}/logs", tb, true,
    "SessionCommandLogsResponse"};
inline constexpr operation follow_session_command_logs{
    "follow_session_command_logs", verb::get,
    "/process/session/{sessionId}/command/{commandId}/logs", tb, true, {}, true};
inline constexpr operation send_session_input{
    "send_session_input", verb::post, "/process/session/{sessionId}/command/{commandId}/input", tb,
    false};

// --- PTY (toolbox) ---
inline constexpr operation list_pty_sessions{"list_pty_sessions", verb::get, "/process/pty", tb,
                                             true, "PtyListResponse"};
inline constexpr operation create_pty_session{"create_pty_session", verb::post, "/process/pty",
                                              tb, false, "PtyCreateResponse"};
inline constexpr operation create_connect_pty{"create_connect_pty", verb::get,
                                              "/process/pty/create-connect", tb, false, {}, true};
inline constexpr operation get_pty_session{"get_pty_session", verb::get,
                                           "/process/pty/{sessionId}", tb, true, "PtySessionInfo"};
inline constexpr operation delete_pty_session{"delete_pty_session", verb::delete_,
                                              "/process/pty/{sessionId}", tb, true};
inline constexpr operation connect_pty_session{"connect_pty_session", verb::get,
                                               "/process/pty/{sessionId}/connect", tb, false, {},
                                               true};
inline constexpr operation resize_pty_session{"resize_pty_session", verb::post,
                                              "/process/pty/{sessionId}/resize", tb, true,
                                              "PtySessionInfo"};

// --- code interpreter (toolbox) ---
inline constexpr operation list_interpreter_contexts{"list_interpreter_contexts", verb::get,
                                                     "/process/interpreter/context", tb, true,
                                                     "ListContextsResponse"};
inline constexpr operation create_interpreter_context{"create_interpreter_context", verb::post,
                                                      "/process/interpreter/context", tb, false,
                                                      "InterpreterContext"};
inline constexpr operation delete_interpreter_context{"delete_interpreter_context",
                                                      verb::delete_,
                                                      "/process/interpreter/context/{id}", tb, true};
inline constexpr operation execute_interpreter_code{"execute_interpreter_code", verb::get,
                                                    "/process/interpreter/execute", tb, false, {},
                                                    true};

// --- files (toolbox) ---
inline constexpr operation list_files{"list_files", verb::get, "/files", tb, true, "FileInfo[]"};
inline constexpr operation delete_file{"delete_file", verb::delete_, "/files", tb, true};
inline constexpr operation download_files{"download_files", verb::post, "/files/bulk-download", tb,
                                          true};
inline constexpr operation upload_files{"upload_files", verb::post, "/files/bulk-upload", tb,
                                        true};
inline constexpr operation download_file{"download_file", verb::get, "/files/download", tb, true};
inline constexpr operation find_in_files{"find_in_files", verb::get, "/files/find", tb, true,
                                         "Match[]"};
inline constexpr operation create_folder{"create_folder", verb::post, "/files/folder", tb, true};
inline constexpr operation get_file_info{"get_file_info", verb::get, "/files/info", tb, true,
                                         "FileInfo"};
inline constexpr operation move_file{"move_file", verb::post, "/files/move", tb, false};
inline constexpr operation set_file_permissions{"set_file_permissions", verb::post,
                                                "/files/permissions", tb, true};
inline constexpr operation replace_in_files{"replace_in_files", verb::post, "/files/replace", tb,
                                            false, "ReplaceResult[]"};
inline constexpr operation search_files{"search_files", verb::get, "/files/search", tb, true,
                                        "SearchFilesResponse"};
inline constexpr operation upload_file{"upload_file", verb::post, "/files/upload", tb, true};
inline constexpr operation upload_file_v2{"upload_file_v2", verb::post, "/files/upload-v2", tb,
                                          true};

// --- git (toolbox) ---
inline constexpr operation git_add{"git_add", verb::post, "/git/add", tb, true};
inline constexpr operation git_list_branches{"git_list_branches", verb::get, "/git/branches", tb,
                                             true, "ListBranchResponse"};
inline constexpr operation git_create_branch{"git_create_branch", verb::post, "/git/branches", tb,
                                             false};
inline constexpr operation git_delete_branch{"git_delete_branch", verb::delete_, "/git/branches",
                                             tb, true};
inline constexpr operation git_checkout{"git_checkout", verb::post, "/git/checkout", tb, true};
inline constexpr operation git_clone{"git_clone", verb::post, "/git/clone", tb, false};
inline constexpr operation git_commit{"git_commit", verb::post, "/git/commit", tb, false,
                                      "GitCommitResponse"};
inline constexpr operation git_history{"git_history", verb::get, "/git/history", tb, true,
                                       "GitCommitInfo[]"};
inline constexpr operation git_pull{"git_pull", verb::post, "/git/pull", tb, false};
inline constexpr operation git_push{"git_push", verb::post, "/git/push", tb, false};
inline constexpr operation git_status{"git_status", verb::get, "/git/status", tb, true,
                                      "GitStatus"};

// --- LSP (toolbox) ---
inline constexpr operation lsp_start{"lsp_start", verb::post, "/lsp/start", tb, false};
inline constexpr operation lsp_stop{"lsp_stop", verb::post, "/lsp/stop", tb, true};
inline constexpr operation lsp_did_open{"lsp_did_open", verb::post, "/lsp/did-open", tb, true};
inline constexpr operation lsp_did_close{"lsp_did_close", verb::post, "/lsp/did-close", tb, true};
inline constexpr operation lsp_completions{"lsp_completions", verb::post, "/lsp/completions", tb,
                                           true, "CompletionList"};
inline constexpr operation lsp_document_symbols{"lsp_document_symbols", verb::get,
                                                "/lsp/document-symbols", tb, true,
                                                "LspSymbol[]"};
inline constexpr operation lsp_workspace_symbols{"lsp_workspace_symbols", verb::get,
                                                 "/lsp/workspacesymbols", tb, true,
                                                 "LspSymbol[]"};

// --- ports (toolbox) ---
inline constexpr operation get_ports{"get_ports", verb::get, "/port", tb, true, "PortList"};
inline constexpr operation is_port_in_use{"is_port_in_use", verb::get, "/port/{port}/in-use", tb,
                                          true, "IsPortInUseResponse"};

/// Every operation above, for route tables and tests that walk the whole surface.
inline constexpr std::array all{
    &get_config, &get_health, &get_push_access, &list_sandboxes, &create_sandbox,
    &validate_ssh_access, &get_sandbox, &delete_sandbox, &start_sandbox, &stop_sandbox,
    &archive_sandbox, &recover_sandbox, &pause_sandbox, &resize_sandbox, &replace_labels,
    &create_backup, &snapshot_sandbox, &fork_sandbox, &get_sandbox_forks, &get_sandbox_parent,
    &get_sandbox_ancestors, &set_public, &update_last_activity, &set_autostop_interval,
    &set_autoarchive_interval, &set_autodelete_interval, &update_network_settings,
    &get_preview_url, &get_signed_preview_url, &expire_signed_preview_url, &get_build_logs_url,
    &create_ssh_access, &revoke_ssh_access, &get_toolbox_proxy_url, &list_snapshots,
    &create_snapshot, &get_snapshot, &delete_snapshot, &activate_snapshot, &deactivate_snapshot,
    &get_snapshot_build_logs_url, &list_volumes, &create_volume, &get_volume_by_name, &get_volume,
    &delete_volume, &get_version, &get_user_home_dir, &get_work_dir, &execute_command, &code_run,
    &list_sessions, &create_session, &get_entrypoint_session, &get_entrypoint_logs, &get_session,
    &delete_session, &execute_session_command, &get_session_command, &get_session_command_logs,
    &follow_session_command_logs, &send_session_input, &list_pty_sessions, &create_pty_session,
    &create_connect_pty, &get_pty_session, &delete_pty_session, &connect_pty_session,
    &resize_pty_session, &list_interpreter_contexts, &create_interpreter_context,
    &delete_interpreter_context, &execute_interpreter_code, &list_files, &delete_file,
    &download_files, &upload_files, &download_file, &find_in_files, &create_folder,
    &get_file_info, &move_file, &set_file_permissions, &replace_in_files, &search_files,
    &upload_file, &upload_file_v2, &git_add, &git_list_branches, &git_create_branch,
    &git_delete_branch, &git_checkout, &git_clone, &git_commit, &git_history, &git_pull,
    &git_push, &git_status, &lsp_start, &lsp_stop, &lsp_did_open, &lsp_did_close,
    &lsp_completions, &lsp_document_symbols, &lsp_workspace_symbols, &get_ports, &is_port_in_use,
};

}  // namespace api::ops
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_API_OPERATIONS_HPP
