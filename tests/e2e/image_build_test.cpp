// SPDX-License-Identifier: Apache-2.0
// Images built for real by the emulator: a sandbox or a snapshot from a daytona::image runs every
// step (RUN, WORKDIR, ENV, USER, files from the local build context) in its own overlay root, the
// sandbox sees what the build made, the build log streams while it runs, a failing step is a
// typed error with the log's tail, and nothing a build writes lands on the host.
#include "test_support.hpp"

#include <daytona/build_context.hpp>
#include <daytona/net/sigv4.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

using namespace daytona_test;
using namespace std::chrono_literals;

namespace {

/// The tests that need builds to run for real: where the emulator cannot (no private mount
/// namespaces or overlay mounts), they fail with its reason. They never skip.
class ImageBuild : public emulator_test {
protected:
    void SetUp() override {
        std::string why;
        if (!shared_emulator().real_builds(&why))
            FAIL() << "image builds are emulated here (" << why
                   << "): these tests need private mount namespaces and overlay mounts";
    }
    std::string exec(const dt::sandbox& sb, std::string command) {
        auto r = await(sb.process().exec(std::move(command)));
        if (!r) return "<error: " + r.error().to_string() + ">";
        return r->output;
    }
};

std::string joined(const std::vector<std::string>& lines) {
    std::string all;
    for (const auto& l : lines)
        all += l + "\n";
    return all;
}

/// Image requests that need no build: refused before sending, or the object storage alone.
class ImageRequests : public emulator_test {
protected:
    /// The emulator's object storage as its push access describes it, and a pool to send
    /// hand-signed requests to it with; null storage when push access failed.
    struct storage_access {
        std::optional<dt::push_access> access;
        std::optional<dt::detail::object_storage> storage;
        std::shared_ptr<dt::http::pooled_transport> pool;
    };
    storage_access object_storage() {
        storage_access out;
        auto access = await(dt::api::get_push_access(client.api_channel()));
        if (!access) throw std::runtime_error(access.error().to_string());
        auto storage = dt::detail::storage_of(*access);
        if (!storage) throw std::runtime_error(storage.error().to_string());
        out.access = std::move(*access);
        out.storage = std::move(*storage);
        out.pool = std::make_shared<dt::http::pooled_transport>(io.get_executor(),
                                                                dt::http::pool_options{});
        return out;
    }
    /// The response to `req` sent through `pool`; status -1 when none arrived.
    dt::http::response send(dt::http::pooled_transport& pool, dt::http::request req) {
        dt::http::send_options o;
        auto op = pool.send(req, o);
        auto r = await(std::move(op));
        return r ? std::move(*r) : dt::http::response{.status = -1};
    }
};

}  // namespace

TEST_F(ImageBuild, RunWorkdirAndEnvTakeEffectInTheSandbox) {
    namespace fs = std::filesystem;
    const fs::path host_marker = "/opt/daytona-image-build-test/marker";
    ASSERT_FALSE(fs::exists(host_marker.parent_path()));
    auto img = dt::image::base("debian:12-slim")
                   .run("mkdir -p /opt/daytona-image-build-test && echo made-by-build > " +
                        host_marker.string())
                   .workdir("/srv/app")
                   .env("GREETING", "hello world")
                   .run("echo \"$GREETING from $(pwd)\" > greeting.txt");
    dt::create_params p{.build = img, .resources = {.cpu = 2}};
    auto sb = await(client.create(std::move(p)));
    ASSERT_TRUE(sb) << sb.error();
    EXPECT_EQ(sb->state(), dt::sandbox_state::started);
    EXPECT_EQ(sb->info().cpu, 2);
    EXPECT_EQ(exec(*sb, "cat " + host_marker.string()), "made-by-build\n");
    EXPECT_EQ(exec(*sb, "pwd"), "/srv/app\n");
    EXPECT_EQ(exec(*sb, "echo \"$GREETING\""), "hello world\n");
    EXPECT_EQ(exec(*sb, "cat /srv/app/greeting.txt"), "hello world from /srv/app\n");
    // What the sandbox writes outside its home stays in its own tree too.
    EXPECT_EQ(exec(*sb, "echo later > /srv/app/later.txt && cat /srv/app/later.txt"), "later\n");
    // The build and the sandbox wrote into their own tree, never onto the host.
    EXPECT_FALSE(fs::exists(host_marker.parent_path()));
    EXPECT_FALSE(fs::exists("/srv/app/greeting.txt"));
    EXPECT_FALSE(fs::exists("/srv/app/later.txt"));
    ASSERT_TRUE(await(sb->destroy()));
}

TEST_F(ImageBuild, UserAndEntrypointTakeEffectInTheSandbox) {
    auto img = dt::image::base("debian:12-slim")
                   .run("useradd --create-home --shell /bin/bash builder")
                   .user("builder")
                   .entrypoint(
                       {"/bin/sh", "-c", "echo \"entry as $(whoami) with $0\"; echo entry-err >&2"})
                   .cmd({"the-cmd"});
    dt::create_params p{.build = img};
    auto sb = await(client.create(std::move(p)));
    ASSERT_TRUE(sb) << sb.error();
    // Every kind of process runs as the image's USER, with its home from the passwd file.
    EXPECT_EQ(exec(*sb, "whoami; echo \"$HOME\""), "builder\n/home/builder\n");
    EXPECT_NE(exec(*sb, "id -u"), "0\n");
    auto shell = await(sb->process().create_session("as-user"));
    ASSERT_TRUE(shell) << shell.error();
    auto in_session =
        await(shell->exec("whoami && echo written > ~/by-session && cat ~/by-session"));
    ASSERT_TRUE(in_session) << in_session.error();
    EXPECT_EQ(in_session->stdout_text, "builder\nwritten\n");
    // The entrypoint (ENTRYPOINT then CMD) started with the sandbox, as the user; its output is
    // the entrypoint session's log.
    const auto entrypoint_done = [&] {
        for (int i = 0; i < 200; ++i) {
            auto s = await(sb->process().entrypoint_session());
            if (s && !s->commands.empty() && s->commands.front().exit_code) return *s;
            std::this_thread::sleep_for(50ms);
        }
        return dt::session_info{};
    };
    auto session = entrypoint_done();
    EXPECT_EQ(session.session_id, "entrypoint");
    ASSERT_EQ(session.commands.size(), 1u);
    EXPECT_EQ(session.commands.front().command,
              "/bin/sh -c echo \"entry as $(whoami) with $0\"; echo entry-err >&2 the-cmd");
    EXPECT_EQ(session.commands.front().exit_code, 0);
    auto logs = await(sb->process().entrypoint_logs());
    ASSERT_TRUE(logs) << logs.error();
    EXPECT_EQ(logs->stdout_text, "entry as builder with the-cmd\n");
    EXPECT_EQ(logs->stderr_text, "entry-err\n");
    // A restarted sandbox runs it again (the log starts afresh).
    ASSERT_TRUE(await(sb->stop()));
    ASSERT_TRUE(await(sb->start()));
    session = entrypoint_done();
    ASSERT_EQ(session.commands.size(), 1u);
    logs = await(sb->process().entrypoint_logs());
    ASSERT_TRUE(logs) << logs.error();
    EXPECT_EQ(logs->stdout_text, "entry as builder with the-cmd\n");
    ASSERT_TRUE(await(sb->destroy()));
}

TEST_F(ImageBuild, AFailingRunIsABuildFailedErrorWithTheLogTail) {
    auto img = dt::image::base("debian:12-slim")
                   .run("echo one-step-fine")
                   .run("echo about-to-fail; echo on-stderr >&2; exit 7");
    std::vector<std::string> lines;
    dt::log_callback on_log = [&](std::string_view l) {
        lines.emplace_back(l);
    };
    dt::create_params p{.name = "image-build-fails", .build = img};
    auto sb = await(client.create(std::move(p), on_log));
    ASSERT_FALSE(sb);
    EXPECT_EQ(sb.error(), dt::errc::build_failed) << sb.error();
    EXPECT_NE(sb.error().reason().find("returned a non-zero code: 7"), std::string::npos)
        << sb.error();
    const auto tail = joined(sb.error().build_log_tail());
    EXPECT_NE(tail.find("about-to-fail"), std::string::npos) << tail;
    EXPECT_NE(tail.find("on-stderr"), std::string::npos) << tail;
    EXPECT_NE(joined(lines).find("one-step-fine"), std::string::npos) << joined(lines);
    auto failed = await(client.get("image-build-fails"));
    ASSERT_TRUE(failed) << failed.error();
    EXPECT_EQ(failed->state(), dt::sandbox_state::build_failed);
    EXPECT_EQ(failed->info().error_reason.value_or(""), sb.error().reason());
    ASSERT_TRUE(await(failed->destroy()));
}

TEST_F(ImageBuild, TheLogReachesTheCallbackWhileTheBuildRuns) {
    // The first step prints a line, then waits until the test lets it go on: when the line
    // reaches the callback the build must still be running. The step sees the build context
    // (read-only, live), so the callback releases it by adding a file to the unpacked context.
    namespace fs = std::filesystem;
    temp_dir ctx;
    { std::ofstream(ctx.path / "wait.txt") << "wait\n"; }
    auto img = dt::image::base("debian:12-slim")
                   .add_local_file((ctx.path / "wait.txt").string(), "/opt/wait.txt")
                   .run(
                       "echo first-step-output; "
                       "until [ -e /tmp/.daytona-context/release ]; do sleep 0.05; done; "
                       "echo first-step-done");
    std::vector<std::string> lines;
    std::string state_seen;
    dt::log_callback on_log = [&](std::string_view l) {
        lines.emplace_back(l);
        if (l != "first-step-output" || !state_seen.empty()) return;
        asio::io_context other;
        dt::client observer{other.get_executor(), emulator_options()};
        auto sb = dt::run_sync(other, observer.get("image-build-live"));
        state_seen = sb ? sb->info().state_name : sb.error().to_string();
        if (sb)
            std::ofstream(shared_emulator().data_dir() / "sandboxes" / sb->id() / "build" /
                          "context" / "release");
    };
    dt::create_params p{.name = "image-build-live", .build = img};
    p.wait_timeout = std::chrono::minutes(2);  // a failure here ends, it does not hang
    auto sb = await(client.create(std::move(p), on_log));
    ASSERT_TRUE(sb) << sb.error();
    EXPECT_EQ(state_seen, "building_snapshot");
    const auto all = joined(lines);
    EXPECT_NE(all.find("Step 3/3 : RUN echo first-step-output"), std::string::npos) << all;
    // The step's own lines (the Step line names both words too).
    ASSERT_NE(all.find("\nfirst-step-done\n"), std::string::npos) << all;
    EXPECT_LT(all.find("\nfirst-step-output\n"), all.find("\nfirst-step-done\n")) << all;
    ASSERT_TRUE(await(sb->destroy()));
}

TEST_F(ImageRequests, TheEmulatorSaysWhetherBuildsRunForReal) {
    std::string why = "unchanged";
    const bool real = shared_emulator().real_builds(&why);  // a reason exactly when emulated
    EXPECT_EQ(why.empty(), real) << why;
    own_emulator emulated{{.builds = "emulated"}};
    EXPECT_FALSE(emulated.emu.real_builds(&why));
    EXPECT_EQ(why, "--builds emulated");
    own_emulator no_namespaces{{.isolation = "none"}};
    EXPECT_FALSE(no_namespaces.emu.real_builds(&why));
    EXPECT_EQ(why, "no private mount namespaces");
    dt::emulator::emulator stopped;
    EXPECT_FALSE(stopped.real_builds(&why));
    EXPECT_EQ(why, "the emulator is not started");
}

TEST_F(ImageRequests, AnInvalidImageIsRefusedBeforeAnyRequest) {
    // Nothing listens on this client's endpoint: only a refusal before sending can answer.
    dt::client_options o = emulator_options();
    o.api_url = "http://127.0.0.1:1/api";
    dt::client offline{io.get_executor(), o};
    dt::create_params p{.build = dt::image::base("debian:12-slim").env("A", "x\nRUN evil")};
    auto sb = await(offline.create(std::move(p)));
    ASSERT_FALSE(sb);
    EXPECT_EQ(sb.error(), dt::errc::invalid_argument) << sb.error();
    auto snap =
        await(offline.snapshots().create("s", dt::image::base("debian:12-slim").user("a\nb")));
    ASSERT_FALSE(snap);
    EXPECT_EQ(snap.error(), dt::errc::invalid_argument) << snap.error();
    dt::create_params both{.snapshot = "x", .build = dt::image::base("debian:12-slim")};
    EXPECT_EQ(await(offline.create(std::move(both))).error(), dt::errc::invalid_argument);
}

TEST_F(ImageBuild, ASnapshotFromAnImageGivesSandboxesItsFilesAndSettings) {
    auto img = dt::image::base("debian:12-slim")
                   .run("mkdir -p /opt/snap-built && echo from-the-snapshot > /opt/snap-built/f")
                   .env("SNAP_VAR", "snap value")
                   .workdir("/opt/snap-built");
    std::vector<std::string> lines;
    dt::log_callback on_log = [&](std::string_view l) {
        lines.emplace_back(l);
    };
    auto snap = await(client.snapshots().create("image-build-snap", img, on_log));
    ASSERT_TRUE(snap) << snap.error();
    EXPECT_EQ(snap->state, dt::snapshot_state::active);
    EXPECT_NE(joined(lines).find("Step 2/4 : RUN mkdir -p /opt/snap-built"), std::string::npos)
        << joined(lines);
    dt::create_params p{.snapshot = "image-build-snap"};
    auto sb = await(client.create(std::move(p)));
    ASSERT_TRUE(sb) << sb.error();
    EXPECT_EQ(exec(*sb, "cat /opt/snap-built/f"), "from-the-snapshot\n");
    EXPECT_EQ(exec(*sb, "echo \"$SNAP_VAR\"; pwd"), "snap value\n/opt/snap-built\n");
    EXPECT_FALSE(std::filesystem::exists("/opt/snap-built"));
    ASSERT_TRUE(await(sb->destroy()));

    auto broken = await(
        client.snapshots().create("image-build-snap-broken",
                                  dt::image::base("debian:12-slim").run("echo snap-fails; false")));
    ASSERT_FALSE(broken);
    EXPECT_EQ(broken.error(), dt::errc::build_failed) << broken.error();
    EXPECT_NE(joined(broken.error().build_log_tail()).find("snap-fails"), std::string::npos);
    ASSERT_TRUE(await(client.snapshots().destroy("image-build-snap")));
}

TEST_F(ImageBuild, LocalFilesAndDirectoriesAreUploadedAndCopied) {
    namespace fs = std::filesystem;
    temp_dir ctx;
    { std::ofstream(ctx.path / "requirements.txt") << "numpy==2.0\n"; }
    fs::create_directories(ctx.path / "src" / "pkg");
    { std::ofstream(ctx.path / "src" / "main.py") << "print('main')\n"; }
    { std::ofstream(ctx.path / "src" / "pkg" / "mod.py") << "X = 1\n"; }
    auto img =
        dt::image::base("debian:12-slim")
            .add_local_file((ctx.path / "requirements.txt").string(), "/app/requirements.txt")
            .add_local_dir((ctx.path / "src").string(), "/app/src")
            .workdir("/app")
            .run("ls -R src > listing.txt && wc -l < requirements.txt > count.txt");
    dt::create_params p{.build = img};
    auto sb = await(client.create(std::move(p)));
    ASSERT_TRUE(sb) << sb.error();
    EXPECT_EQ(exec(*sb, "cat /app/requirements.txt"), "numpy==2.0\n");
    EXPECT_EQ(exec(*sb, "cat /app/src/main.py /app/src/pkg/mod.py"), "print('main')\nX = 1\n");
    EXPECT_EQ(exec(*sb, "cat count.txt"), "1\n");
    EXPECT_NE(exec(*sb, "cat listing.txt").find("mod.py"), std::string::npos);
    ASSERT_TRUE(await(sb->destroy()));

    // The same context again: already in the object storage, so the sandbox still builds (from
    // the stored objects) with nothing uploaded twice.
    dt::create_params again{.build = img};
    auto sb2 = await(client.create(std::move(again)));
    ASSERT_TRUE(sb2) << sb2.error();
    EXPECT_EQ(exec(*sb2, "cat /app/src/pkg/mod.py"), "X = 1\n");
    ASSERT_TRUE(await(sb2->destroy()));
}

TEST_F(ImageRequests, TheObjectStorageRefusesABadSignature) {
    namespace sig = dt::net::sigv4;
    auto os = object_storage();
    const auto& access = os.access;
    const auto& storage = os.storage;
    const auto send = [&](dt::http::request req) {
        return this->send(*os.pool, std::move(req)).status;
    };
    const auto now = std::chrono::system_clock::now();
    const std::string key = access->organization_id + "/sig-test/context.tar";
    auto put = [&](const dt::detail::object_storage& s) {
        auto req = s.signed_request(dt::http::verb::put, key, "", sig::unsigned_payload, now);
        req.body = "tar bytes";
        return req;
    };
    // Signed with the right secret: stored, and listed under its prefix.
    EXPECT_EQ(send(put(*storage)), 200);
    auto list = storage->signed_request(
        dt::http::verb::get, "",
        "list-type=2&max-keys=1&prefix=" +
            dt::detail::percent_encode(access->organization_id + "/sig-test/"),
        sig::empty_payload_hash, now);
    auto listing = this->send(*os.pool, list);
    EXPECT_EQ(listing.status, 200);
    EXPECT_NE(listing.body.find("<Key>" + key + "</Key>"), std::string::npos) << listing.body;
    // A wrong secret, a tampered path, a missing session token, no signature at all: 403.
    auto wrong = *storage;
    wrong.creds.secret = "not-the-secret";
    EXPECT_EQ(send(put(wrong)), 403);
    auto tampered = put(*storage);
    tampered.target += "-other";
    EXPECT_EQ(send(tampered), 403);
    auto no_token = *storage;
    no_token.creds.session_token.clear();
    EXPECT_EQ(send(put(no_token)), 403);
    auto unsigned_req = put(*storage);
    unsigned_req.headers.erase("authorization");
    EXPECT_EQ(send(unsigned_req), 403);
    // A signed payload hash must match the body.
    auto mismatch =
        storage->signed_request(dt::http::verb::put, key, "", sig::empty_payload_hash, now);
    mismatch.body = "not empty";
    EXPECT_EQ(send(mismatch), 400);
}

TEST_F(ImageRequests, AContextTarStreamsALargeFileInBoundedMemory) {
    // A 256 MiB sparse file (no disk used) and a small one: the tar is read through a 64 KiB
    // buffer into `tar -t`, never held whole. The heap in use (main arena and mmapped blocks,
    // not RSS) may grow by a few headers, not by the file.
    namespace fs = std::filesystem;
    temp_dir ctx;
    fs::create_directories(ctx.path / "data");
    constexpr std::uint64_t big_size = 256ull << 20;
    {
        const int fd = ::open((ctx.path / "data" / "big.bin").c_str(), O_WRONLY | O_CREAT, 0644);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(::ftruncate(fd, static_cast<off_t>(big_size)), 0);
        ::close(fd);
    }
    { std::ofstream(ctx.path / "data" / "small.txt") << "small\n"; }
    auto source =
        dt::detail::tar_source::open(dt::context_entry{(ctx.path / "data").string(), "ctx/data"});
    ASSERT_TRUE(source) << source.error();
    auto& tar = **source;
    ASSERT_TRUE(tar.size());
    EXPECT_GT(*tar.size(), big_size);
    const auto listing = ctx.path / "listing.txt";
    FILE* lister = ::popen(("tar -tf - > " + listing.string()).c_str(), "w");
    ASSERT_NE(lister, nullptr);
    const auto heap_in_use = [] {
        const auto m = ::mallinfo2();
        return m.uordblks + m.hblkhd;
    };
    const auto heap_before = heap_in_use();
    std::size_t heap_peak = heap_before;
    std::vector<char> buf(64 * 1024);
    std::uint64_t total = 0, largest = 0;
    for (;;) {
        auto n = tar.read(buf.data(), buf.size());
        ASSERT_TRUE(n) << n.error();
        if (*n == 0) break;
        largest = std::max<std::uint64_t>(largest, *n);
        total += *n;
        ASSERT_EQ(std::fwrite(buf.data(), 1, *n, lister), *n);
        heap_peak = std::max(heap_peak, heap_in_use());
    }
    EXPECT_EQ(::pclose(lister), 0);
    EXPECT_EQ(total, *tar.size());
    EXPECT_LE(largest, buf.size());
    EXPECT_LT(heap_peak - heap_before, std::size_t{4} << 20) << "the tar held the file in memory";
    std::ifstream in(listing);
    std::vector<std::string> names;
    for (std::string line; std::getline(in, line);)
        names.push_back(line);
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names,
              (std::vector<std::string>{"ctx/data/", "ctx/data/big.bin", "ctx/data/small.txt"}));
}

TEST_F(ImageRequests, TheObjectStorageTakesMultipartUploads) {
    // What S3 clients (the official SDK's among them) do with a body over 5 MiB: create an
    // upload, send its parts, complete it; each request signed like PutObject.
    namespace sig = dt::net::sigv4;
    auto os = object_storage();
    const auto& access = os.access;
    const auto& storage = os.storage;
    const auto send = [&](dt::http::request req) {
        return this->send(*os.pool, std::move(req));
    };
    const auto now = std::chrono::system_clock::now();
    const std::string key = access->organization_id + "/multipart-test/context.tar";
    const auto request = [&](dt::http::verb v, std::string query, std::string body = {}) {
        auto req = storage->signed_request(
            v, key, std::move(query),
            body.empty() ? sig::empty_payload_hash : sig::unsigned_payload, now);
        req.body = std::move(body);
        return req;
    };
    const auto between = [](const std::string& text, const std::string& open,
                            const std::string& close) {
        const auto at = text.find(open);
        if (at == std::string::npos) return std::string();
        const auto start = at + open.size();
        return text.substr(start, text.find(close, start) - start);
    };
    const auto start_upload = [&] {
        auto created = send(request(dt::http::verb::post, "uploads"));
        EXPECT_EQ(created.status, 200) << created.body;
        EXPECT_NE(created.body.find("<Key>" + key + "</Key>"), std::string::npos) << created.body;
        return between(created.body, "<UploadId>", "</UploadId>");
    };
    const auto upload = start_upload();
    ASSERT_FALSE(upload.empty());
    const std::string first(5 << 20, 'a'), second = "the tail";
    auto part1 = send(request(dt::http::verb::put, "partNumber=1&uploadId=" + upload, first));
    ASSERT_EQ(part1.status, 200) << part1.body;
    auto part2 = send(request(dt::http::verb::put, "partNumber=2&uploadId=" + upload, second));
    ASSERT_EQ(part2.status, 200) << part2.body;
    const std::string etag1(part1.headers.get("etag")), etag2(part2.headers.get("etag"));
    ASSERT_FALSE(etag1.empty());
    // Not readable before it is complete.
    EXPECT_EQ(send(request(dt::http::verb::get, "")).status, 404);
    // A signature made with another secret is refused for a part too.
    auto wrong = *storage;
    wrong.creds.secret = "not-the-secret";
    auto forged = wrong.signed_request(dt::http::verb::put, key, "partNumber=3&uploadId=" + upload,
                                       sig::unsigned_payload, now);
    forged.body = "forged";
    EXPECT_EQ(send(forged).status, 403);
    // A wrong ETag does not complete it.
    const auto complete_body = [](const std::string& e1, const std::string& e2) {
        return "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + e1 +
               "</ETag></Part><Part><PartNumber>2</PartNumber><ETag>" + e2 +
               "</ETag></Part></CompleteMultipartUpload>";
    };
    EXPECT_EQ(
        send(request(dt::http::verb::post, "uploadId=" + upload, complete_body(etag1, "\"other\"")))
            .status,
        400);
    auto completed =
        send(request(dt::http::verb::post, "uploadId=" + upload, complete_body(etag1, etag2)));
    ASSERT_EQ(completed.status, 200) << completed.body;
    EXPECT_NE(completed.body.find("<CompleteMultipartUploadResult"), std::string::npos);
    auto stored = send(request(dt::http::verb::get, ""));
    ASSERT_EQ(stored.status, 200);
    EXPECT_EQ(stored.body.size(), first.size() + second.size());
    EXPECT_TRUE(stored.body == first + second);
    // Done: the upload id is gone.
    EXPECT_EQ(send(request(dt::http::verb::post, "uploadId=" + upload, complete_body(etag1, etag2)))
                  .status,
              404);
    // An aborted upload leaves nothing behind and takes no more parts.
    const auto aborted = start_upload();
    ASSERT_EQ(send(request(dt::http::verb::put, "partNumber=1&uploadId=" + aborted, "x")).status,
              200);
    EXPECT_EQ(send(request(dt::http::verb::delete_, "uploadId=" + aborted)).status, 204);
    EXPECT_EQ(send(request(dt::http::verb::put, "partNumber=2&uploadId=" + aborted, "y")).status,
              404);
    EXPECT_FALSE(
        std::filesystem::exists(shared_emulator().data_dir() / "object-uploads" / aborted));
}
