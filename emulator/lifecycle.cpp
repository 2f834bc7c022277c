// SPDX-License-Identifier: Apache-2.0
#include "lifecycle.hpp"

namespace daytona::emulator {

void set_state(sandbox_info& s, std::string_view name) {
    s.state_name = std::string(name);
    s.state = sandbox_state_from_string(name);
    s.updated_at = iso_time();
}

std::chrono::milliseconds dwell(const emulator_options& opts, std::string_view state) {
    // A build takes longer than a state change (long enough for the SDKs' 1 s polls to see it
    // and follow its log).
    const bool build = state == "building_snapshot" || state == "building" || state == "pulling";
    return opts.state_delay * (build ? 4 : 1);
}

std::optional<reply> refuse_unless_settled(const exchange& ex, const sandbox_record& rec,
                                           std::string_view action) {
    const auto state = rec.info.state;
    if (is_transitional(state))
        return api_error(ex, 409,
                         "Sandbox " + rec.info.id + " is " + rec.info.state_name +
                             "; wait for the state change to finish");
    if (state != sandbox_state::started && state != sandbox_state::stopped)
        return api_error(ex, 400,
                         "Sandbox " + rec.info.id + " cannot " + std::string(action) +
                             " in state " + rec.info.state_name);
    return std::nullopt;
}

asio::awaitable<std::string> copy_tree(fs::path from, fs::path to) {
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

std::uint64_t state_machine::begin(const std::string& id) {
    std::lock_guard lock(mu_);
    return ++generations_[id];
}

bool state_machine::current(const std::string& id, std::uint64_t generation) {
    std::lock_guard lock(mu_);
    auto it = generations_.find(id);
    return it != generations_.end() && it->second == generation;
}

std::optional<sandbox_info> state_machine::apply(const std::string& id, const state_step& step) {
    if (step.state == "stopped" || step.state == "stopping" || step.state == "archived" ||
        step.state == "destroying")
        ctx_.forget_runtime(id);  // stopping a sandbox ends its processes
    if (step.state == "destroyed") {
        ctx_.forget_runtime(id);
        auto rec = ctx_.records.find(id);
        ctx_.records.erase(id);
        {
            std::lock_guard lock(mu_);
            generations_.erase(id);
        }
        if (!rec) return std::nullopt;
        set_state(rec->info, "destroyed");
        rec->info.desired_state = "destroyed";
        return rec->info;
    }
    auto info = ctx_.records.modify(id, [&](sandbox_info& s) {
        set_state(s, step.state);
        if (!step.desired.empty()) s.desired_state = step.desired;
        if (step.error_reason)
            s.error_reason = *step.error_reason;
        else if (step.state != "error" && step.state != "build_failed")
            s.error_reason.reset();
        s.recoverable = step.recoverable;
    });
    // A sandbox that starts runs its image's ENTRYPOINT (a resize keeps the one that runs).
    if (info && step.state == "started")
        if (auto rec = ctx_.records.find(id))
            ctx_.host.start_entrypoint(*rec, *ctx_.runtime_of(id));
    return info;
}

std::optional<sandbox_info> state_machine::transition(const asio::any_io_executor& exec,
                                                      const std::string& id,
                                                      std::vector<state_step> path) {
    if (path.empty()) {
        auto rec = ctx_.records.find(id);
        return rec ? std::optional<sandbox_info>(rec->info) : std::nullopt;
    }
    const auto generation = begin(id);
    if (ctx_.opts.state_delay.count() == 0) {
        std::optional<sandbox_info> last;
        for (const auto& step : path)
            last = apply(id, step);
        return last;
    }
    auto first = apply(id, path.front());
    path.erase(path.begin());
    if (!path.empty())
        asio::co_spawn(exec, walk(id, generation, first ? first->state_name : "", std::move(path)),
                       asio::detached);
    return first;
}

asio::awaitable<void> state_machine::walk(std::string id, std::uint64_t generation,
                                          std::string current_state, std::vector<state_step> path) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (const auto& step : path) {
        timer.expires_after(dwell(ctx_.opts, current_state));
        current_state = step.state;
        std::error_code ec;
        co_await timer.async_wait(net::redirect(ec));
        // A newer request (a delete during a start, say) has taken over this sandbox.
        if (ec || !current(id, generation)) co_return;
        apply(id, step);
    }
}

}  // namespace daytona::emulator
