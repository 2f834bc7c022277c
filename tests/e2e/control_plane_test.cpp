// SPDX-License-Identifier: Apache-2.0
// The control plane end to end: client -> HTTP over loopback -> emulator. Lifecycle and waits
// (with and without state delays), settings, preview links, build logs, forks and snapshots,
// find / get-or-create / paging, snapshots and volumes, config, rate limits, retries and traces.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace daytona_test;
using namespace std::chrono_literals;

namespace {

std::string unique(std::string_view prefix) {
    static int n = 0;
    return std::string(prefix) + "-" + std::to_string(::getpid()) + "-" + std::to_string(++n);
}

class ControlPlane : public emulator_test {};

std::vector<std::string> read_lines(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

}  // namespace

TEST_F(ControlPlane, LifecycleWalksTheStates) {
    auto sb = make();
    ASSERT_EQ(sb.state(), dt::sandbox_state::started);
    ASSERT_TRUE(await(sb.process().exec("echo kept > kept.txt")));

    auto archived_while_started = await(sb.archive());
    ASSERT_FALSE(archived_while_started);
    EXPECT_EQ(archived_while_started.error(), dt::condition::bad_request);
    EXPECT_EQ(archived_while_started.error().operation(), "archive_sandbox");

    ASSERT_TRUE(await(sb.stop()));
    EXPECT_EQ(sb.state(), dt::sandbox_state::stopped);
    auto exec_stopped = await(sb.process().exec("true"));
    EXPECT_FALSE(exec_stopped);

    ASSERT_TRUE(await(sb.resize({.cpu = 2, .memory_gib = 2, .disk_gib = 5})));  // cold resize
    EXPECT_EQ(sb.info().disk, 5);
    EXPECT_EQ(sb.state(), dt::sandbox_state::stopped);

    ASSERT_TRUE(await(sb.archive()));
    EXPECT_EQ(sb.state(), dt::sandbox_state::archived);
    ASSERT_TRUE(await(sb.start()));  // archived -> restoring -> started
    EXPECT_EQ(sb.state(), dt::sandbox_state::started);
    auto kept = await(sb.process().exec("cat kept.txt"));
    ASSERT_TRUE(kept) << kept.error();
    EXPECT_EQ(kept->output, "kept\n");

    ASSERT_TRUE(await(sb.resize({.cpu = 4})));  // hot resize: growing is allowed
    EXPECT_EQ(sb.info().cpu, 4);
    ASSERT_TRUE(await(sb.refresh()));
    EXPECT_EQ(sb.info().cpu, 4);

    ASSERT_TRUE(await(sb.stop({.force = true})));
    ASSERT_TRUE(await(sb.destroy_and_wait()));
    EXPECT_EQ(sb.state(), dt::sandbox_state::destroyed);
    auto gone = await(sb.refresh());
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error(), dt::condition::not_found);
    auto start_gone = await(sb.start());
    ASSERT_FALSE(start_gone);
    EXPECT_EQ(start_gone.error(), dt::condition::not_found);
    EXPECT_EQ(start_gone.error().operation(), "start_sandbox");
}

TEST_F(ControlPlane, WaitsFollowRealisticStateDelays) {
    own_emulator slow({.threads = 2, .state_delay = 150ms});
    dt::client c{io.get_executor(), slow.options()};
    auto sb = await(c.create());  // creating -> starting -> started, polled
    ASSERT_TRUE(sb) << sb.error();
    EXPECT_EQ(sb->state(), dt::sandbox_state::started);
    ASSERT_TRUE(await(sb->stop()));
    EXPECT_EQ(sb->state(), dt::sandbox_state::stopped);
    ASSERT_TRUE(await(sb->start()));
    EXPECT_EQ(sb->state(), dt::sandbox_state::started);
    ASSERT_TRUE(await(sb->stop({.timeout = 0ms})));  // 0: no limit
    // A wait that cannot finish in time fails with wait_timeout after a last refresh.
    auto started = await(sb->wait_until_started(1ms));
    ASSERT_FALSE(started);
    EXPECT_EQ(started.error(), dt::errc::wait_timeout);
    EXPECT_EQ(started.error(), dt::condition::timeout);
    EXPECT_EQ(started.error().operation(), "wait_until_started");
    EXPECT_NE(started.error().message().find("still stopped"), std::string::npos)
        << started.error();
    ASSERT_TRUE(await(sb->start()));
    ASSERT_TRUE(await(sb->destroy_and_wait()));
    EXPECT_EQ(sb->state(), dt::sandbox_state::destroyed);
}

TEST_F(ControlPlane, FailuresCarryTheErrorReasonAndRecover) {
    const auto name = unique("failing");
    auto failed = await(client.create({.name = name, .labels = {{"daytona-emulator/fail", "1"}}}));
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error(), dt::errc::sandbox_failed);
    EXPECT_NE(failed.error().reason().find("injected failure"), std::string::npos)
        << failed.error();
    EXPECT_NE(failed.error().message().find(failed.error().reason()), std::string::npos);
    auto sb = await(client.get(name));
    ASSERT_TRUE(sb) << sb.error();
    EXPECT_EQ(sb->state(), dt::sandbox_state::error);
    EXPECT_TRUE(sb->info().recoverable.value_or(false));
    ASSERT_TRUE(await(sb->recover()));
    EXPECT_EQ(sb->state(), dt::sandbox_state::started);
    ASSERT_TRUE(await(sb->destroy()));

    auto build = await(client.create({.dockerfile = "FROM alpine\nRUN EMULATOR_BUILD_FAIL\n"}));
    ASSERT_FALSE(build);
    EXPECT_EQ(build.error(), dt::errc::build_failed) << build.error();
    EXPECT_FALSE(build.error().reason().empty());
}

TEST_F(ControlPlane, BuildLogsStreamWhileTheBuildRuns) {
    own_emulator slow({.threads = 2, .state_delay = 100ms});
    dt::client c{io.get_executor(), slow.options()};
    std::vector<std::string> lines;
    dt::log_callback on_log = [&](std::string_view line) {
        lines.emplace_back(line);
    };
    dt::create_params p{.dockerfile = "FROM python:3.12-slim\nRUN echo one\nENV A=b\n"};
    auto sb = await(c.create(std::move(p), on_log));
    ASSERT_TRUE(sb) << sb.error();
    EXPECT_EQ(sb->state(), dt::sandbox_state::started);
    ASSERT_GE(lines.size(), 3u);
    const auto joined = [&] {
        std::string all;
        for (const auto& l : lines)
            all += l + "\n";
        return all;
    }();
    EXPECT_NE(joined.find("Step 1/3 : FROM python:3.12-slim"), std::string::npos) << joined;
    EXPECT_NE(joined.find("Step 3/3 : ENV A=b"), std::string::npos) << joined;
    // The finished build's log can be read again.
    std::vector<std::string> again;
    dt::log_callback collect = [&](std::string_view line) {
        again.emplace_back(line);
    };
    ASSERT_TRUE(await(sb->build_logs(collect)));
    EXPECT_EQ(again.size(), lines.size());
    // A sandbox that was not built has no build log.
    auto plain = await(c.create());
    ASSERT_TRUE(plain);
    auto none = await(plain->build_logs(collect));
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error(), dt::condition::bad_request);
}

TEST_F(ControlPlane, SettingsAreApplied) {
    auto sb = make({.labels = {{"a", "1"}}});
    ASSERT_TRUE(await(sb.set_labels({{"b", "2"}})));
    EXPECT_EQ(sb.labels(), (std::map<std::string, std::string>{{"b", "2"}}));
    ASSERT_TRUE(await(sb.set_public(true)));
    EXPECT_TRUE(sb.info().is_public);
    ASSERT_TRUE(await(sb.set_auto_stop_interval(0)));
    EXPECT_EQ(sb.info().auto_stop_interval, 0);
    ASSERT_TRUE(await(sb.set_auto_archive_interval(60)));
    EXPECT_EQ(sb.info().auto_archive_interval, 60);
    ASSERT_TRUE(await(sb.set_auto_delete_interval(-1)));
    EXPECT_EQ(sb.info().auto_delete_interval, -1);
    ASSERT_TRUE(await(sb.set_network_settings({.block_all = true})));
    EXPECT_TRUE(sb.info().network_block_all);
    dt::network_settings allow{.block_all = false, .allow_list = "10.0.0.0/8"};
    ASSERT_TRUE(await(sb.set_network_settings(std::move(allow))));
    EXPECT_EQ(sb.info().network_allow_list, "10.0.0.0/8");
    ASSERT_TRUE(await(sb.refresh_activity()));
    // The server's view agrees.
    auto fresh = await(client.get(sb.id()));
    ASSERT_TRUE(fresh);
    EXPECT_EQ(fresh->labels().at("b"), "2");
    EXPECT_TRUE(fresh->info().is_public);
    EXPECT_EQ(fresh->info().auto_archive_interval, 60);
    EXPECT_TRUE(fresh->info().last_activity_at.has_value());
    ASSERT_TRUE(await(sb.destroy()));
    auto after = await(sb.set_public(false));
    EXPECT_EQ(after.error(), dt::condition::not_found);
}

TEST_F(ControlPlane, PreviewLinksAndSignedLinks) {
    auto sb = make();
    auto link = await(sb.preview_link(8080));
    ASSERT_TRUE(link) << link.error();
    EXPECT_EQ(link->sandbox_id, sb.id());
    EXPECT_NE(link->url.find("8080-" + sb.id()), std::string::npos) << link->url;
    EXPECT_FALSE(link->token.empty());
    auto signed_link = await(sb.signed_preview_link(8080, 30s));
    ASSERT_TRUE(signed_link) << signed_link.error();
    EXPECT_EQ(signed_link->port, 8080);
    EXPECT_NE(signed_link->url.find("8080-" + signed_link->token), std::string::npos);
    ASSERT_TRUE(await(sb.expire_signed_preview_link(8080, signed_link->token)));
    auto twice = await(sb.expire_signed_preview_link(8080, signed_link->token));
    EXPECT_EQ(twice.error(), dt::condition::not_found);
    auto bad_port = await(sb.preview_link(0));
    EXPECT_EQ(bad_port.error(), dt::condition::bad_request);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(ControlPlane, ForksSnapshotsAndFamily) {
    auto parent = make();
    ASSERT_TRUE(await(parent.process().exec("echo from-parent > f.txt")));
    auto child = await(parent.fork(unique("child")));
    ASSERT_TRUE(child) << child.error();
    EXPECT_EQ(child->state(), dt::sandbox_state::started);
    auto f = await(child->process().exec("cat f.txt"));
    ASSERT_TRUE(f) << f.error();
    EXPECT_EQ(f->output, "from-parent\n");
    auto forks = await(parent.forks());
    ASSERT_TRUE(forks) << forks.error();
    ASSERT_EQ(forks->size(), 1u);
    EXPECT_EQ((*forks)[0].id(), child->id());
    auto up = await(child->parent());
    ASSERT_TRUE(up) << up.error();
    EXPECT_EQ(up->id(), parent.id());
    auto chain = await(child->ancestors());
    ASSERT_TRUE(chain);
    ASSERT_FALSE(chain->empty());
    EXPECT_EQ(chain->front().id(), parent.id());
    auto orphan = await(parent.parent());
    EXPECT_EQ(orphan.error(), dt::condition::not_found);

    const auto snap_name = unique("snap");
    auto snap = await(parent.create_snapshot(snap_name));
    ASSERT_TRUE(snap) << snap.error();
    EXPECT_EQ(snap->name, snap_name);
    EXPECT_EQ(snap->state, dt::snapshot_state::active);
    auto from_snap = await(client.create({.snapshot = snap_name}));
    ASSERT_TRUE(from_snap) << from_snap.error();
    auto g = await(from_snap->process().exec("cat f.txt"));
    ASSERT_TRUE(g);
    EXPECT_EQ(g->output, "from-parent\n");
    for (auto* sb : {&parent, &*child, &*from_snap})
        ASSERT_TRUE(await(sb->destroy()));
    ASSERT_TRUE(await(client.snapshots().destroy(snap_name)));
}

TEST_F(ControlPlane, FindGetOrCreateAndPages) {
    const auto tag = unique("find");
    auto none = await(client.find({{"suite", tag}}));
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error(), dt::condition::not_found);

    dt::create_params p{.name = unique("workspace"), .labels = {{"suite", tag}}};
    auto first = await(client.get_or_create(p));
    ASSERT_TRUE(first) << first.error();
    auto again = await(client.get_or_create(p));
    ASSERT_TRUE(again) << again.error();
    EXPECT_EQ(again->id(), first->id());  // reused, not created twice
    ASSERT_TRUE(await(first->stop()));
    auto restarted = await(client.get_or_create(p));  // stopped -> started
    ASSERT_TRUE(restarted) << restarted.error();
    EXPECT_EQ(restarted->id(), first->id());
    EXPECT_EQ(restarted->state(), dt::sandbox_state::started);
    auto found = await(client.find({{"suite", tag}}));
    ASSERT_TRUE(found) << found.error();
    EXPECT_EQ(found->id(), first->id());
    auto nameless = await(client.get_or_create({}));
    EXPECT_EQ(nameless.error(), dt::errc::invalid_argument);

    for (int i = 0; i < 4; ++i)
        make({.labels = {{"suite", tag}}});
    dt::list_params by_tag{.labels = {{"suite", tag}}, .limit = 2};
    auto all = await(client.list_all(by_tag));
    ASSERT_TRUE(all) << all.error();
    EXPECT_EQ(all->size(), 5u);
    auto pager = client.pages(by_tag);
    std::size_t seen = 0, pages = 0;
    while (pager.more()) {
        auto page = await(pager.next());
        ASSERT_TRUE(page) << page.error();
        seen += page->items.size();
        ++pages;
    }
    EXPECT_EQ(seen, 5u);
    EXPECT_EQ(pages, 3u);
    for (auto& sb : *all)
        ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(ControlPlane, SnapshotsFromImagesAndDockerfiles) {
    auto snaps = client.snapshots();
    const auto name = unique("img-snap");
    dt::snapshot_params p{.name = name, .image = "python:3.12-slim", .entrypoint = {"sleep", "1"}};
    auto s = await(snaps.create(std::move(p)));
    ASSERT_TRUE(s) << s.error();
    EXPECT_EQ(s->state, dt::snapshot_state::active);
    EXPECT_EQ(s->image_name, "python:3.12-slim");
    auto by_name = await(snaps.get(name));
    ASSERT_TRUE(by_name);
    EXPECT_EQ(by_name->id, s->id);
    dt::snapshot_list_params q{.name = name};
    auto page = await(snaps.list(std::move(q)));
    ASSERT_TRUE(page) << page.error();
    ASSERT_EQ(page->items.size(), 1u);
    EXPECT_EQ(page->total, 1);
    ASSERT_TRUE(await(snaps.deactivate(s->id)));
    auto inactive = await(snaps.get(s->id));
    EXPECT_EQ(inactive->state, dt::snapshot_state::inactive);
    auto active = await(snaps.activate(s->id));
    ASSERT_TRUE(active) << active.error();
    EXPECT_EQ(active->state, dt::snapshot_state::active);
    auto again = await(snaps.activate(s->id));
    EXPECT_EQ(again.error(), dt::condition::bad_request);
    dt::snapshot_params dup{.name = name, .image = "python:3.12-slim"};
    EXPECT_EQ(await(snaps.create(std::move(dup))).error(), dt::condition::conflict);
    ASSERT_TRUE(await(snaps.destroy(name)));
    EXPECT_EQ(await(snaps.get(name)).error(), dt::condition::not_found);

    own_emulator slow({.threads = 2, .state_delay = 100ms});
    dt::client c{io.get_executor(), slow.options()};
    std::vector<std::string> log;
    dt::log_callback on_log = [&](std::string_view l) {
        log.emplace_back(l);
    };
    dt::snapshot_params built{.name = "built", .dockerfile = "FROM alpine:3.18\nRUN echo hi\n"};
    auto b = await(c.snapshots().create(std::move(built), on_log));
    ASSERT_TRUE(b) << b.error();
    std::string all;
    for (const auto& l : log)
        all += l + "\n";
    EXPECT_NE(all.find("Creating snapshot built ("), std::string::npos) << all;
    EXPECT_NE(all.find("RUN echo hi"), std::string::npos) << all;
    dt::snapshot_params broken{.name = "broken", .dockerfile = "FROM x\nRUN EMULATOR_BUILD_FAIL\n"};
    auto f = await(c.snapshots().create(std::move(broken)));
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error(), dt::errc::build_failed) << f.error();
    EXPECT_FALSE(f.error().reason().empty());
}

TEST_F(ControlPlane, VolumesAreSharedBetweenSandboxes) {
    auto vols = client.volumes();
    const auto name = unique("vol");
    auto v = await(vols.create(name));
    ASSERT_TRUE(v) << v.error();
    EXPECT_EQ(v->state, dt::volume_state::ready);
    auto by_name = await(vols.get_by_name(name));
    ASSERT_TRUE(by_name);
    EXPECT_EQ(by_name->id, v->id);
    auto by_id = await(vols.get(v->id));
    ASSERT_TRUE(by_id);
    auto list = await(vols.list());
    ASSERT_TRUE(list);
    EXPECT_TRUE(std::any_of(list->begin(), list->end(),
                            [&](const dt::volume_info& i) { return i.id == v->id; }));
    EXPECT_EQ(await(vols.create(name)).error(), dt::condition::conflict);
    auto same = await(vols.get_or_create(name));
    ASSERT_TRUE(same);
    EXPECT_EQ(same->id, v->id);

    // Mounted under the home directory: the emulator shows processes the sandbox's own /home
    // and /tmp, and the host's other directories (see README, "A sandbox here").
    auto writer = make({.volumes = {{name, "/home/daytona/shared", {}}}});
    ASSERT_TRUE(await(writer.process().exec("echo shared > /home/daytona/shared/x.txt")));
    auto reader = make({.volumes = {{v->id, "/home/daytona/data", {}}}});
    auto x = await(reader.process().exec("cat /home/daytona/data/x.txt"));
    ASSERT_TRUE(x) << x.error();
    EXPECT_EQ(x->output, "shared\n");
    auto busy = await(vols.destroy(v->id));
    EXPECT_EQ(busy.error(), dt::condition::conflict);
    ASSERT_TRUE(await(writer.destroy()));
    ASSERT_TRUE(await(reader.destroy()));
    ASSERT_TRUE(await(vols.destroy(v->id)));
    EXPECT_EQ(await(vols.get(v->id)).error(), dt::condition::not_found);
}

TEST_F(ControlPlane, ConfigAndConfigErrors) {
    auto cfg = await(client.config());
    ASSERT_TRUE(cfg) << cfg.error();
    EXPECT_EQ(cfg->default_snapshot, "daytona-emulator");
    EXPECT_NE(cfg->proxy_toolbox_url.find("/toolbox"), std::string::npos);
    dt::client none{io.get_executor(), {.api_url = shared_emulator().api_url()}};
    auto r = await(none.snapshots().list());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::errc::missing_credentials);
    EXPECT_EQ(r.error().operation(), "list_snapshots");
}

TEST_F(ControlPlane, RateLimitsAreVisibleAndRetryAfterIsHonoured) {
    own_emulator limited({.threads = 2, .rate_limits = {"sandbox-create=2/60"}});
    auto trace = temp_dir();
    auto opts = limited.options();
    opts.trace_file = (trace.path / "trace.jsonl").string();
    dt::client c{io.get_executor(), opts};
    ASSERT_TRUE(await(c.create()));
    auto limits = c.rate_limits();
    auto create_limit = std::find_if(limits.begin(), limits.end(), [](const dt::rate_limit& l) {
        return l.throttler == "sandbox-create";
    });
    ASSERT_NE(create_limit, limits.end());
    EXPECT_EQ(create_limit->limit, 2);
    EXPECT_EQ(create_limit->remaining, 1);
    ASSERT_TRUE(await(c.create()));
    // The third create is refused for longer than the client will wait (60 s window > the
    // 60 s max_retry_after only by the window's rounding, so shrink the limit): reported at
    // once, with the server's wait and the throttler's numbers.
    dt::client_options impatient = opts;
    impatient.retry.max_retry_after = 5s;
    dt::client i{io.get_executor(), impatient};
    auto third = await(i.create());
    ASSERT_FALSE(third);
    EXPECT_EQ(third.error(), dt::condition::rate_limited);
    EXPECT_EQ(third.error().http_status(), 429);
    ASSERT_TRUE(third.error().retry_after().has_value());
    EXPECT_GT(*third.error().retry_after(), 5s);
    EXPECT_FALSE(third.error().rate_limits().empty());
    EXPECT_NE(third.error().to_string().find("retry_after="), std::string::npos);
    // One attempt only: the server asked for more than max_retry_after.
    std::size_t creates = 0;
    for (const auto& line : read_lines(opts.trace_file))
        creates += line.find(R"("operation":"create_sandbox")") != std::string::npos;
    EXPECT_EQ(creates, 3u);
}

TEST_F(ControlPlane, ShortRetryAfterIsWaitedOutThenRetried) {
    // The first POST /api/sandbox gets 429 with Retry-After: 1; the retry succeeds.
    own_emulator faulty(
        {.threads = 2, .faults = {"status:429;path=/api/sandbox;times=1;retry-after=1"}});
    auto trace = temp_dir();
    auto opts = faulty.options();
    opts.trace_file = (trace.path / "trace.jsonl").string();
    dt::client c{io.get_executor(), opts};
    auto sb = await(c.create());
    ASSERT_TRUE(sb) << sb.error();
    const auto lines = read_lines(opts.trace_file);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_NE(lines[0].find(R"("status":429)"), std::string::npos) << lines[0];
    EXPECT_NE(lines[1].find(R"("status":200)"), std::string::npos) << lines[1];

    // 503 on a GET: retried; on a POST that creates: never (it could have been done).
    own_emulator flaky({.threads = 2, .faults = {"status:503;path=/api/sandbox;times=1"}});
    auto o2 = flaky.options();
    o2.retry.initial_backoff = 1ms;
    dt::client f{io.get_executor(), o2};
    auto refused = await(f.create());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().http_status(), 503);
    own_emulator flaky_get({.threads = 2, .faults = {"status:503;path=/api/sandbox;times=2"}});
    auto o3 = flaky_get.options();
    o3.retry.initial_backoff = 1ms;
    dt::client g{io.get_executor(), o3};
    auto listed = await(g.list());
    EXPECT_TRUE(listed) << listed.error();
    own_emulator down({.threads = 2, .faults = {"status:503;path=/api/sandbox"}});
    auto o4 = down.options();
    o4.retry.initial_backoff = 1ms;
    dt::client d{io.get_executor(), o4};
    auto exhausted = await(d.list());
    ASSERT_FALSE(exhausted);
    EXPECT_EQ(exhausted.error(), dt::errc::retry_exhausted);
    EXPECT_EQ(exhausted.error(), dt::condition::unavailable);
    EXPECT_EQ(exhausted.error().http_status(), 503);
    EXPECT_EQ(exhausted.error().operation(), "list_sandboxes");
}

TEST_F(ControlPlane, TracesNameEveryRequestAndNoSecret) {
    auto trace = temp_dir();
    auto opts = emulator_options();
    opts.trace_file = (trace.path / "trace.jsonl").string();
    opts.state_events = false;  // the event channel's upgrade would be one more line
    dt::client c{io.get_executor(), opts};
    auto sb = await(c.create({.env = {{"ANTHROPIC_API_KEY", "sk-ant-secret-value-1"}}}));
    ASSERT_TRUE(sb) << sb.error();
    dt::exec_options o{.env = {{"TOKEN", "exec-secret-value-2"}}};
    ASSERT_TRUE(await(sb->process().exec("echo hi", std::move(o))));
    ASSERT_TRUE(await(sb->signed_preview_link(3000)));
    ASSERT_TRUE(await(sb->destroy()));
    auto missing = await(c.get("no-such-sandbox"));
    ASSERT_FALSE(missing);
    const auto lines = read_lines(opts.trace_file);
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_NE(lines[0].find(R"("operation":"create_sandbox","method":"POST","url":")" +
                            shared_emulator().api_url() + R"(/sandbox","status":200,"ms":)"),
              std::string::npos)
        << lines[0];
    EXPECT_NE(lines[0].find(R"("request_body":{"env":{"ANTHROPIC_API_KEY":"[REDACTED]"})"),
              std::string::npos)
        << lines[0];
    EXPECT_NE(
        lines[1].find(R"("request_body":{"command":"echo hi","envs":{"TOKEN":"[REDACTED]"}})"),
        std::string::npos)
        << lines[1];
    EXPECT_NE(lines[3].find(R"("method":"DELETE")"), std::string::npos);
    EXPECT_NE(lines[4].find(R"("status":404)"), std::string::npos);
    for (const auto& line : lines) {
        EXPECT_EQ(line.find(emulator_key), std::string::npos) << line;
        EXPECT_EQ(line.find("secret-value"), std::string::npos) << line;
        EXPECT_EQ(line.find("Bearer"), std::string::npos) << line;
        simdjson::dom::parser p;
        EXPECT_FALSE(p.parse(line).error()) << line;
    }
}
