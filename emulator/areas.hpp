// SPDX-License-Identifier: Apache-2.0
// The service areas. Each is one handler type in its own file that adds its routes to the table
// next to its handlers, and keeps the state only it uses; what they share is the context.
//
//   API (/api)                               toolbox (/toolbox/{sandboxId})
//   config.cpp       config, health          toolbox_info.cpp         version, dirs, computer use
//   sandboxes.cpp    sandboxes, lifecycle    toolbox_process.cpp      execute, code-run
//   forks.cpp        forks, sandbox snaps    toolbox_sessions.cpp     sessions
//   builds.cpp       build-log streams       toolbox_pty.cpp          PTY
//   previews.cpp     preview URLs + relay    toolbox_interpreter.cpp  code interpreter
//   snapshots.cpp    snapshots               toolbox_files.cpp        files
//   volumes.cpp      volumes                 toolbox_git.cpp          git
//                                            toolbox_lsp.cpp          LSP
//                                            toolbox_ports.cpp        ports
#ifndef DAYTONA_EMULATOR_AREAS_HPP
#define DAYTONA_EMULATOR_AREAS_HPP

#include "context.hpp"
#include "image_build.hpp"
#include "lifecycle.hpp"
#include "routes.hpp"

namespace daytona::emulator {

void add_config_routes(route_table& table, context& ctx);
void add_event_routes(route_table& table, context& ctx);
void add_sandbox_routes(route_table& table, context& ctx, state_machine& states);
void add_fork_routes(route_table& table, context& ctx, state_machine& states);
void add_build_routes(route_table& table, context& ctx);
void add_preview_routes(route_table& table, context& ctx);
void add_snapshot_routes(route_table& table, context& ctx);
void add_volume_routes(route_table& table, context& ctx);
void add_object_storage_routes(route_table& table, context& ctx);

void add_toolbox_info_routes(route_table& table, context& ctx);
void add_process_routes(route_table& table, context& ctx);
void add_session_routes(route_table& table, context& ctx);
void add_pty_routes(route_table& table, context& ctx);
void add_interpreter_routes(route_table& table, context& ctx);
void add_file_routes(route_table& table, context& ctx);
void add_git_routes(route_table& table, context& ctx);
void add_lsp_routes(route_table& table, context& ctx);
void add_port_routes(route_table& table, context& ctx);

/// The sandbox a route's path names by id or name (its parameter `param`); nullopt after
/// answering 404.
asio::awaitable<std::optional<sandbox_record>> find_sandbox(
    context& ctx, call& c, std::string_view param = "sandboxIdOrName");

/// The sandbox a route's path names and the request's JSON body; nullopt after answering 404
/// or 400 (in the API's shape).
template <class Body>
asio::awaitable<std::optional<std::pair<sandbox_record, Body>>> find_sandbox_with_body(context& ctx,
                                                                                       call& c) {
    auto rec = co_await find_sandbox(ctx, c);
    if (!rec) co_return std::nullopt;
    auto body = co_await read_json<Body>(c.ex, false);
    if (!body) co_return std::nullopt;
    std::pair<sandbox_record, Body> found(std::move(*rec), std::move(*body));
    co_return found;
}

/// Runs a Dockerfile build for real (builds.cpp): the build contexts named by the context hashes
/// (uploaded to the emulator's object storage) are unpacked, then image_build.hpp's run_build
/// writes into `upper`, logging to build_log_of(log_key). Its processes are reported to `tracker`.
asio::awaitable<build_outcome> run_image_build(context& ctx, std::string log_key,
                                               sandbox_build_info info, fs::path upper,
                                               fs::path scratch,
                                               std::shared_ptr<process_tracker> tracker);

/// The file holding object `key` of the emulator's object storage (object_storage.cpp).
fs::path stored_object(const context& ctx, std::string_view key);

/// Where a snapshot built from an image keeps the image's settings (image_config).
inline fs::path image_config_of_snapshot(const context& ctx, std::string_view id) {
    return ctx.records.data_dir() / "snapshots" / (std::string(id) + ".image.cfg");
}

/// Every area's routes.
inline void add_all_routes(route_table& table, context& ctx, state_machine& states) {
    add_config_routes(table, ctx);
    add_event_routes(table, ctx);
    add_sandbox_routes(table, ctx, states);
    add_fork_routes(table, ctx, states);
    add_build_routes(table, ctx);
    add_preview_routes(table, ctx);
    add_snapshot_routes(table, ctx);
    add_volume_routes(table, ctx);
    add_object_storage_routes(table, ctx);
    add_toolbox_info_routes(table, ctx);
    add_process_routes(table, ctx);
    add_session_routes(table, ctx);
    add_pty_routes(table, ctx);
    add_interpreter_routes(table, ctx);
    add_file_routes(table, ctx);
    add_git_routes(table, ctx);
    add_lsp_routes(table, ctx);
    add_port_routes(table, ctx);
}

}  // namespace daytona::emulator

#endif  // DAYTONA_EMULATOR_AREAS_HPP
