// SPDX-License-Identifier: Apache-2.0
// /api/sandbox/{id}/fork | snapshot | forks | parent | ancestors: a fork or a snapshot shows the
// sandbox as `forking` or `snapshotting` while it is made, then as it was; both need a started or
// stopped sandbox.
//
// A fork is a new sandbox whose file tree is a copy of its parent's; a snapshot of a sandbox is
// a snapshot holding such a copy, and every sandbox created from it starts with that tree. The
// copy is `cp -a` with reflinks where the file system has them. Processes and memory are not
// copied (includeMemory is refused, as Daytona refuses it for container sandboxes): a fork
// starts with nothing running, like a container started from a file system snapshot.
#include "areas.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/codec/sandbox.hpp>
#include <daytona/codec/snapshot.hpp>

#include <set>

namespace daytona::emulator {

namespace forks_impl {

namespace ops = api::ops;

class forks {
public:
    forks(context& ctx, state_machine& states) : ctx_(ctx), states_(states) {}

    asio::awaitable<void> fork(call& c);
    asio::awaitable<void> snapshot(call& c);
    /// GET forks | parent | ancestors, named by the route's operation.
    asio::awaitable<void> family(call& c);

private:
    /// The sandbox read again after the request's body arrived (its state may have changed
    /// meanwhile), if it is started or stopped with no change under way; nullopt after
    /// answering.
    asio::awaitable<std::optional<sandbox_record>> settled(call& c, const std::string& id,
                                                           std::string_view action);
    /// copy_tree of the sandbox's root while it shows `busy_state` (forking, snapshotting);
    /// its state is put back afterwards.
    asio::awaitable<std::string> copy_showing(const sandbox_record& rec, std::string busy_state,
                                              fs::path to);

    context& ctx_;
    state_machine& states_;
};

asio::awaitable<std::string> forks::copy_showing(const sandbox_record& rec, std::string busy_state,
                                                 fs::path to) {
    const std::string previous = rec.info.state_name;
    const state_step busy{std::move(busy_state), previous};
    const state_step back{previous, previous};
    states_.apply(rec.info.id, busy);
    auto copying = copy_tree(rec.root(), std::move(to));  // named: no temporaries in co_await
    auto copied = co_await std::move(copying);
    states_.apply(rec.info.id, back);
    co_return copied;
}

asio::awaitable<std::optional<sandbox_record>> forks::settled(call& c, const std::string& id,
                                                              std::string_view action) {
    auto current = ctx_.records.find(id);
    if (!current) {
        co_await send(c.ex, sandbox_not_found(c.ex, id));
        co_return std::nullopt;
    }
    if (auto refusal = refuse_unless_settled(c.ex, *current, action)) {
        co_await send(c.ex, std::move(*refusal));
        co_return std::nullopt;
    }
    co_return current;
}

asio::awaitable<void> forks::fork(call& c) {
    auto& ex = c.ex;
    auto found = co_await find_sandbox_with_body<fork_request>(ctx_, c);
    if (!found) co_return;
    const auto& [rec, body] = *found;
    if (body.name && (body.name->empty() || body.name->find('/') != std::string::npos))
        co_return co_await send(ex, api_error(ex, 400, "invalid name"));
    auto current = co_await settled(c, rec.info.id, "be forked");
    if (!current) co_return;

    sandbox_record child;
    child.info = rec.info;
    auto& s = child.info;
    s.id = new_uuid();
    s.name = body.name.value_or(s.id);
    s.created_at = s.updated_at = iso_time();
    s.last_activity_at = s.created_at;
    s.desired_state = "started";
    s.backup_state = "None";
    s.error_reason.reset();
    s.recoverable = false;
    child.dir = ctx_.records.data_dir() / "sandboxes" / s.id;
    child.parent_id = rec.info.id;
    // Registered in `creating` first, so the name is taken before the copy starts.
    s.state_name = "creating";
    s.state = sandbox_state::creating;
    const auto child_id = s.id;
    const auto child_root = child.root();
    std::string why;
    if (!ctx_.records.insert(child, &why))
        co_return co_await send(
            ex, api_error(ex, why.find("already exists") != std::string::npos ? 409 : 500, why));

    auto copying = copy_showing(*current, "forking", child_root);  // named (GCC 12)
    auto copied = co_await std::move(copying);
    if (!copied.empty()) {
        ctx_.records.erase(child_id);
        co_return co_await send(ex, api_error(ex, 500, "fork failed: " + copied));
    }
    std::error_code ec;  // a sandbox built from an image passes the image's settings on
    fs::copy_file(current->dir / "image.cfg", child.dir / "image.cfg", ec);
    ctx_.host.prepare_volumes(child);
    // The copy is done; the child then starts like any new sandbox (with --state-delay-ms,
    // through `starting`).
    const state_step starting{"starting", "started"};
    const state_step started{"started", "started"};
    std::vector<state_step> path{starting, started};
    auto info = states_.transition(ex.stream().get_executor(), child_id, std::move(path));
    if (!info) co_return co_await send(ex, sandbox_not_found(ex, child_id));
    co_await send(ex, ctx_.sandbox_reply(ex, *info));
}

asio::awaitable<void> forks::snapshot(call& c) {
    auto& ex = c.ex;
    auto found = co_await find_sandbox_with_body<sandbox_snapshot_request>(ctx_, c);
    if (!found) co_return;
    const auto& [rec, body] = *found;
    if (body.name.empty() || body.name.find('/') != std::string::npos ||
        body.name.ends_with(":latest"))
        co_return co_await send(ex,
                                api_error(ex, 400, "a snapshot name is required (not :latest)"));
    if (body.include_memory.value_or(false))
        co_return co_await send(
            ex, api_error(ex, 400, "Container sandboxes do not support memory snapshots"));
    auto current = co_await settled(c, rec.info.id, "be snapshotted");
    if (!current) co_return;

    snapshot_record snap;
    auto& info = snap.info;
    info.id = new_uuid();
    info.organization_id = organization_id;
    info.name = body.name;
    info.image_name = body.name;
    info.cpu = rec.info.cpu;
    info.gpu = rec.info.gpu;
    info.memory = rec.info.memory;
    info.disk = rec.info.disk;
    info.region_ids = {rec.info.target};
    info.source_sandbox_id = rec.info.id;
    info.sandbox_class = "container";
    set_state(info, snapshot_state::pending);
    info.created_at = info.updated_at;
    const auto snap_id = info.id;
    std::string why;
    if (!ctx_.records.insert_snapshot(std::move(snap), &why))
        co_return co_await send(
            ex, api_error(ex, why.find("already exists") != std::string::npos ? 409 : 500, why));

    auto copying = copy_showing(*current, "snapshotting", ctx_.records.snapshot_files(snap_id));
    auto copied = co_await std::move(copying);  // named above: GCC 12
    std::error_code ec;  // a sandbox built from an image passes the image's settings on
    fs::copy_file(current->dir / "image.cfg", image_config_of_snapshot(ctx_, snap_id), ec);
    ctx_.records.modify_snapshot(snap_id, [&](snapshot_info& s) {
        set_state(s, copied.empty() ? snapshot_state::active : snapshot_state::error);
        if (!copied.empty()) s.error_reason = copied;
    });
    auto after = ctx_.records.find(rec.info.id);
    if (!copied.empty())
        co_return co_await send(ex, api_error(ex, 500, "snapshot failed: " + copied));
    if (!after) co_return co_await send(ex, sandbox_not_found(ex, rec.info.id));
    co_await send(ex, ctx_.sandbox_reply(ex, after->info));
}

asio::awaitable<void> forks::family(call& c) {
    auto& ex = c.ex;
    auto rec = co_await find_sandbox(ctx_, c);
    if (!rec) co_return;
    const auto which = c.matched.name();
    if (which == ops::get_sandbox_parent.name) {
        auto parent = rec->parent_id.empty() ? std::nullopt : ctx_.records.find(rec->parent_id);
        if (!parent)
            co_return co_await send(
                ex, api_error(ex, 404, "Sandbox " + rec->info.id + " has no parent sandbox"));
        co_return co_await send(ex, ctx_.sandbox_reply(ex, parent->info));
    }
    std::vector<sandbox_info> found;
    if (which == ops::get_sandbox_forks.name) {
        for (auto& r : ctx_.records.all())
            if (r.parent_id == rec->info.id) found.push_back(std::move(r.info));
        std::sort(found.begin(), found.end(),
                  [](const auto& a, const auto& b) { return a.created_at < b.created_at; });
    } else {  // ancestors: the parent first, then its parent, ...
        std::set<std::string> seen{rec->info.id};
        for (auto id = rec->parent_id; !id.empty() && seen.insert(id).second;) {
            auto parent = ctx_.records.find(id);
            if (!parent) break;
            id = parent->parent_id;
            found.push_back(std::move(parent->info));
        }
    }
    for (auto& info : found)
        info = ctx_.for_client(ex, std::move(info));
    co_await send(ex, encoded_reply(found));
}

}  // namespace forks_impl

void add_fork_routes(route_table& table, context& ctx, state_machine& states) {
    using forks_impl::forks;
    namespace ops = api::ops;
    table.add(std::make_shared<forks>(ctx, states), {{ops::fork_sandbox, &forks::fork},
                                                     {ops::snapshot_sandbox, &forks::snapshot},
                                                     {ops::get_sandbox_forks, &forks::family},
                                                     {ops::get_sandbox_parent, &forks::family},
                                                     {ops::get_sandbox_ancestors, &forks::family}});
}

}  // namespace daytona::emulator
