// SPDX-License-Identifier: Apache-2.0
// /api/sandbox/{id}/fork | snapshot | forks | parent | ancestors (REFERENCE.md §4.6).
//
// A fork is a new sandbox whose file tree is a copy of its parent's; a snapshot of a sandbox is
// a snapshot holding such a copy, and every sandbox created from it starts with that tree. The
// copy is `cp -a` with reflinks where the file system has them. Processes and memory are not
// copied (includeMemory is refused, as Daytona refuses it for container sandboxes): a fork
// starts with nothing running, like a container started from a file system snapshot.
#include "service.hpp"

#include <daytona/json/reader.hpp>
#include <daytona/json/writer.hpp>

#include <set>

namespace daytona::emulator {

namespace forks_impl {

struct fork_body {
    std::optional<std::string> name;
};

void decode_value(json::value& v, fork_body& out, json::decoder& d) {
    d.object(v, "object", json::into("name", out.name));
}

struct sandbox_snapshot_body {
    std::string name;
    bool include_memory = false;
};

void decode_value(json::value& v, sandbox_snapshot_body& out, json::decoder& d) {
    d.object(v, "object", json::into("name", out.name),
             json::into("includeMemory", out.include_memory));
}

}  // namespace forks_impl

std::optional<reply> service::refuse_unless_settled(const exchange& ex, const sandbox_record& rec,
                                                    std::string_view action) {
    const auto state = rec.info.state;
    if (transitional(state))
        return api_error(ex, 409,
                         "Sandbox " + rec.info.id + " is " + rec.info.state_name +
                             "; wait for the state change to finish");
    if (state != sandbox_state::started && state != sandbox_state::stopped)
        return api_error(ex, 400,
                         "Sandbox " + rec.info.id + " cannot " + std::string(action) +
                             " in state " + rec.info.state_name);
    return std::nullopt;
}

asio::awaitable<std::string> service::copy_tree(fs::path from, fs::path to) {
    std::error_code ec;
    fs::create_directories(to, ec);
    if (ec) co_return "cannot create " + to.string() + ": " + ec.message();
    run_spec spec;
    // "from/." copies the contents, so `to` may already exist (a new sandbox's empty tree).
    spec.process.argv = {"/bin/cp",  "-a", "--reflink=auto", "--", (from / ".").string(),
                         to.string()};
    spec.process.env = {"PATH=/usr/bin:/bin", "LC_ALL=C"};
    spec.process.cwd = "/";
    spec.timeout = std::chrono::minutes(10);
    spec.max_output = 64 * 1024;
    auto outcome = co_await run_command(std::move(spec));
    if (outcome.spawn_failed || outcome.timed_out || outcome.exit_code != 0)
        co_return "copying the file tree failed: " +
            (outcome.timed_out ? std::string("timeout") : outcome.output);
    co_return std::string{};
}

asio::awaitable<std::string> service::copy_showing(const sandbox_record& rec,
                                                   std::string busy_state, fs::path to) {
    const std::string previous = rec.info.state_name;
    const state_step busy{std::move(busy_state), previous};
    const state_step back{previous, previous};
    apply_state(rec.info.id, busy);
    auto copying = copy_tree(rec.root(), std::move(to));  // named: no temporaries in co_await
    auto copied = co_await std::move(copying);
    apply_state(rec.info.id, back);
    co_return copied;
}

asio::awaitable<void> service::fork_sandbox(exchange& ex, const sandbox_record& rec) {
    auto body = co_await read_json<forks_impl::fork_body>(ex, false);
    if (!body) co_return;
    if (body->name && (body->name->empty() || body->name->find('/') != std::string::npos))
        co_return co_await send(ex, api_error(ex, 400, "invalid name"));
    // Read again: the state may have changed while the body arrived.
    auto current = store_.find(rec.info.id);
    if (!current) co_return co_await sandbox_not_found(ex, rec.info.id);
    if (auto refusal = refuse_unless_settled(ex, *current, "be forked"))
        co_return co_await send(ex, std::move(*refusal));

    sandbox_record child;
    child.info = rec.info;
    auto& s = child.info;
    s.id = new_uuid();
    s.name = body->name.value_or(s.id);
    s.created_at = s.updated_at = iso_time();
    s.last_activity_at = s.created_at;
    s.desired_state = "started";
    s.backup_state = "None";
    s.error_reason.reset();
    s.recoverable = false;
    child.dir = store_.data_dir() / "sandboxes" / s.id;
    child.parent_id = rec.info.id;
    // Registered in `creating` first, so the name is taken before the copy starts.
    s.state_name = "creating";
    s.state = sandbox_state::creating;
    const auto child_id = s.id;
    const auto child_root = child.root();
    std::string why;
    if (!store_.insert(child, &why))
        co_return co_await send(
            ex, api_error(ex, why.find("already exists") != std::string::npos ? 409 : 500, why));

    auto copying = copy_showing(*current, "forking", child_root);  // named (GCC 12)
    auto copied = co_await std::move(copying);
    if (!copied.empty()) {
        store_.erase(child_id);
        co_return co_await send(ex, api_error(ex, 500, "fork failed: " + copied));
    }
    prepare_volumes(child);
    // The copy is done; the child then starts like any new sandbox (with --state-delay-ms,
    // through `starting`).
    const state_step starting{"starting", "started"};
    const state_step started{"started", "started"};
    std::vector<state_step> path{starting, started};
    auto info = transition(ex.stream().get_executor(), child_id, std::move(path));
    if (!info) co_return co_await sandbox_not_found(ex, child_id);
    co_await sandbox_reply(ex, *info);
}

asio::awaitable<void> service::snapshot_sandbox(exchange& ex, const sandbox_record& rec) {
    auto body = co_await read_json<forks_impl::sandbox_snapshot_body>(ex, false);
    if (!body) co_return;
    if (body->name.empty() || body->name.find('/') != std::string::npos ||
        body->name.ends_with(":latest"))
        co_return co_await send(ex,
                                api_error(ex, 400, "a snapshot name is required (not :latest)"));
    if (body->include_memory)
        co_return co_await send(
            ex, api_error(ex, 400, "Container sandboxes do not support memory snapshots"));
    // Read again: the state may have changed while the body arrived.
    auto current = store_.find(rec.info.id);
    if (!current) co_return co_await sandbox_not_found(ex, rec.info.id);
    if (auto refusal = refuse_unless_settled(ex, *current, "be snapshotted"))
        co_return co_await send(ex, std::move(*refusal));

    snapshot_record snap;
    snap.id = new_uuid();
    snap.name = body->name;
    snap.image_name = body->name;
    snap.cpu = rec.info.cpu;
    snap.gpu = rec.info.gpu;
    snap.mem = rec.info.memory;
    snap.disk = rec.info.disk;
    snap.region_ids = {rec.info.target};
    snap.created_at = snap.updated_at = iso_time();
    snap.state = "pending";
    const auto snap_id = snap.id;
    std::string why;
    if (!store_.insert_snapshot(std::move(snap), &why))
        co_return co_await send(
            ex, api_error(ex, why.find("already exists") != std::string::npos ? 409 : 500, why));

    auto copying = copy_showing(*current, "snapshotting", store_.snapshot_files(snap_id));
    auto copied = co_await std::move(copying);  // named above: GCC 12
    store_.modify_snapshot(snap_id, [&](snapshot_record& s) {
        s.state = copied.empty() ? "active" : "error";
        if (!copied.empty()) s.error_reason = copied;
        s.updated_at = iso_time();
    });
    auto info = store_.find(rec.info.id);
    if (!copied.empty())
        co_return co_await send(ex, api_error(ex, 500, "snapshot failed: " + copied));
    if (!info) co_return co_await sandbox_not_found(ex, rec.info.id);
    co_await sandbox_reply(ex, info->info);
}

asio::awaitable<void> service::sandbox_family(exchange& ex, const sandbox_record& rec,
                                              const std::string& which) {
    std::string out;
    json::writer w(out);
    if (which == "parent") {
        auto parent = rec.parent_id.empty() ? std::nullopt : store_.find(rec.parent_id);
        if (!parent)
            co_return co_await send(
                ex, api_error(ex, 404, "Sandbox " + rec.info.id + " has no parent sandbox"));
        co_return co_await sandbox_reply(ex, parent->info);
    }
    std::vector<sandbox_info> found;
    if (which == "forks") {
        for (auto& r : store_.all())
            if (r.parent_id == rec.info.id) found.push_back(std::move(r.info));
        std::sort(found.begin(), found.end(),
                  [](const auto& a, const auto& b) { return a.created_at < b.created_at; });
    } else {  // ancestors: the parent first, then its parent, ...
        std::set<std::string> seen{rec.info.id};
        for (auto id = rec.parent_id; !id.empty() && seen.insert(id).second;) {
            auto parent = store_.find(id);
            if (!parent) break;
            id = parent->parent_id;
            found.push_back(std::move(parent->info));
        }
    }
    w.begin_array();
    for (auto& info : found)
        w.raw(sandbox_json(ex, std::move(info)));
    w.end_array();
    co_await send(ex, json_reply(200, std::move(out)));
}

}  // namespace daytona::emulator
