// SPDX-License-Identifier: Apache-2.0
// The toolbox's file system against the emulator: metadata operations, uploads and downloads of
// binary bytes from and to memory, local files and sinks, bulk transfers with progress, a
// multi-MiB file, per-file errors in a bulk download, and cancellation of an upload.
#include "scripted_server.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <random>
#include <thread>

using namespace daytona_test;
using namespace std::chrono_literals;

namespace {

class Files : public emulator_test {};

/// Every byte value, CR LF and a fake multipart delimiter, repeated to `n` bytes.
std::string binary_bytes(std::size_t n, unsigned seed = 1) {
    std::string out;
    out.reserve(n);
    std::mt19937 rng(seed);
    const std::string tricky = "\r\n--daytona-cpp-\r\n--DAYTONA-FILE-BOUNDARY\r\n";
    for (int i = 0; i < 256 && out.size() < n; ++i)
        out += static_cast<char>(i);
    out += tricky;
    while (out.size() < n)
        out += static_cast<char>(rng() & 0xff);
    out.resize(n);
    return out;
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const std::filesystem::path& p, const std::string& data) {
    std::ofstream out(p, std::ios::binary);
    out << data;
}

/// A sink that collects what it is given and counts finish() calls.
class collecting_sink final : public dt::http::body_sink {
public:
    dt::result<void> write(std::string_view data) override {
        bytes.append(data);
        return {};
    }
    dt::result<void> finish() override {
        ++finished;
        return {};
    }
    std::string bytes;
    int finished = 0;
};

}  // namespace

TEST_F(Files, FoldersInfoListMoveDeleteAndPermissions) {
    auto sb = make();
    auto fs = sb.fs();
    ASSERT_TRUE(await(fs.create_folder("/tmp/ft/sub", "700")));
    auto dir = await(fs.info("/tmp/ft/sub"));
    ASSERT_TRUE(dir) << dir.error();
    EXPECT_TRUE(dir->is_dir);
    EXPECT_EQ(dir->name, "sub");
    EXPECT_EQ(dir->permissions, "0700");
    ASSERT_TRUE(await(fs.upload("/tmp/ft/a.txt", dt::upload_source::from_memory("hello"))));
    auto listed = await(fs.list("/tmp/ft"));
    ASSERT_TRUE(listed) << listed.error();
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].name, "a.txt");
    EXPECT_EQ((*listed)[0].size, 5u);
    EXPECT_FALSE((*listed)[0].is_dir);
    EXPECT_EQ((*listed)[1].name, "sub");

    ASSERT_TRUE(await(fs.move("/tmp/ft/a.txt", "/tmp/ft/sub/b.txt")));
    auto gone = await(fs.info("/tmp/ft/a.txt"));
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error(), dt::condition::not_found);
    EXPECT_EQ(gone.error().operation(), "get_file_info");
    auto moved = await(fs.download("/tmp/ft/sub/b.txt"));
    ASSERT_TRUE(moved) << moved.error();
    EXPECT_EQ(*moved, "hello");

    dt::file_permissions perm{.mode = "600"};
    ASSERT_TRUE(await(fs.set_permissions("/tmp/ft/sub/b.txt", std::move(perm))));
    auto info = await(fs.info("/tmp/ft/sub/b.txt"));
    ASSERT_TRUE(info) << info.error();
    EXPECT_EQ(info->permissions, "0600");
    EXPECT_EQ(info->mode, "-rw-------");
    dt::file_permissions bad{.mode = "999"};
    EXPECT_EQ(await(fs.set_permissions("/tmp/ft/sub/b.txt", std::move(bad))).error().http_status(),
              400);

    // A directory is deleted only when asked to be recursive.
    auto refused = await(fs.delete_file("/tmp/ft"));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().http_status(), 400);
    EXPECT_EQ(refused.error().operation(), "delete_file");
    ASSERT_TRUE(await(fs.delete_file("/tmp/ft", true)));
    EXPECT_EQ(await(fs.info("/tmp/ft")).error(), dt::condition::not_found);
    // An empty path is refused before sending.
    EXPECT_EQ(await(fs.info("")).error(), dt::errc::invalid_argument);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Files, UploadAndDownloadBinaryBytesThroughMemoryPathsAndSinks) {
    auto sb = make();
    auto fs = sb.fs();
    const auto bytes = binary_bytes(300 * 1024);
    ASSERT_TRUE(await(fs.upload("/tmp/bin/mem.bin", dt::upload_source::from_memory(bytes))));
    auto back = await(fs.download("/tmp/bin/mem.bin"));
    ASSERT_TRUE(back) << back.error();
    EXPECT_TRUE(*back == bytes);

    temp_dir local;
    write_file(local.path / "in.bin", bytes);
    ASSERT_TRUE(await(fs.upload("/tmp/bin/path.bin",
                                dt::upload_source::from_path((local.path / "in.bin").string()))));
    ASSERT_TRUE(await(fs.download_to_path("/tmp/bin/path.bin", (local.path / "out.bin").string())));
    EXPECT_TRUE(read_file(local.path / "out.bin") == bytes);

    auto sink = std::make_shared<collecting_sink>();
    ASSERT_TRUE(await(fs.download_to_sink("/tmp/bin/path.bin", sink)));
    EXPECT_TRUE(sink->bytes == bytes);
    EXPECT_EQ(sink->finished, 1);

    // Any source: one that does not know its size goes chunked.
    class unsized final : public dt::http::body_source {
    public:
        explicit unsized(std::string d) : data_(std::move(d)) {}
        std::optional<std::uint64_t> size() const override { return std::nullopt; }
        dt::result<std::size_t> read(char* buf, std::size_t len) override {
            const std::size_t n = std::min({len, data_.size() - pos_, std::size_t{1000}});
            std::memcpy(buf, data_.data() + pos_, n);
            pos_ += n;
            return n;
        }

    private:
        std::string data_;
        std::size_t pos_ = 0;
    };
    ASSERT_TRUE(await(fs.upload("/tmp/bin/any.bin",
                                dt::upload_source::from_source(std::make_shared<unsized>(bytes)))));
    auto any = await(fs.download("/tmp/bin/any.bin"));
    ASSERT_TRUE(any) << any.error();
    EXPECT_TRUE(*any == bytes);

    // An empty file, and one overwritten.
    ASSERT_TRUE(await(fs.upload("/tmp/bin/mem.bin", dt::upload_source::from_memory(""))));
    auto empty = await(fs.download("/tmp/bin/mem.bin"));
    ASSERT_TRUE(empty) << empty.error();
    EXPECT_EQ(*empty, "");

    // Errors: a missing remote file (the local target is removed again), a missing local one.
    auto missing = await(fs.download_to_path("/tmp/bin/nope", (local.path / "nope").string()));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error(), dt::condition::not_found);
    EXPECT_EQ(missing.error().operation(), "download_file");
    EXPECT_FALSE(std::filesystem::exists(local.path / "nope"));
    auto no_local = await(
        fs.upload("/tmp/bin/x", dt::upload_source::from_path((local.path / "absent").string())));
    ASSERT_FALSE(no_local);
    EXPECT_EQ(no_local.error(), dt::errc::io_error);
    EXPECT_EQ(no_local.error().operation(), "upload_files");
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Files, BulkUploadOfManyFilesReportsProgressAndDownloadsBack) {
    auto sb = make();
    constexpr std::size_t count = 150;
    std::vector<dt::upload_entry> entries;
    std::vector<std::string> contents;
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < count; ++i) {
        contents.push_back(binary_bytes(i * 37 + 1, static_cast<unsigned>(i)));
        total += contents.back().size();
        entries.push_back(dt::upload_entry{
            .source = dt::upload_source::from_memory(contents.back()),
            .destination = "/tmp/many/d" + std::to_string(i % 7) + "/f" + std::to_string(i)});
    }
    std::vector<dt::transfer_progress> seen;
    dt::transfer_options opts{.on_progress = [&](const dt::transfer_progress& p) {
        seen.push_back(p);
    }};
    auto up = await(sb.fs().upload_files(std::move(entries), std::move(opts)));
    ASSERT_TRUE(up) << up.error();
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back().bytes, total);
    EXPECT_EQ(seen.back().total_bytes, total);
    EXPECT_EQ(seen.back().files_done, count);
    EXPECT_EQ(seen.back().files_total, count);
    for (std::size_t i = 1; i < seen.size(); ++i)
        ASSERT_GE(seen[i].bytes, seen[i - 1].bytes);

    std::vector<dt::download_entry> wanted;
    for (std::size_t i = 0; i < count; ++i)
        wanted.push_back(dt::download_entry{.path = "/tmp/many/d" + std::to_string(i % 7) + "/f" +
                                                    std::to_string(i)});
    std::size_t download_calls = 0;
    dt::transfer_options dopts{.on_progress = [&](const dt::transfer_progress& p) {
        ++download_calls;
        EXPECT_EQ(p.files_total, count);
    }};
    auto down = await(sb.fs().download_files(std::move(wanted), std::move(dopts)));
    ASSERT_TRUE(down) << down.error();
    ASSERT_EQ(down->size(), count);
    for (std::size_t i = 0; i < count; ++i) {
        ASSERT_TRUE((*down)[i].ok()) << (*down)[i].path << ": " << *(*down)[i].failure;
        EXPECT_TRUE((*down)[i].data == contents[i]) << i;
        EXPECT_EQ((*down)[i].size, contents[i].size());
    }
    EXPECT_GE(download_calls, count);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Files, AMultiMebibyteFileStreamsBothWays) {
    auto sb = make();
    temp_dir local;
    const auto bytes = binary_bytes(24 * 1024 * 1024 + 17, 7);
    write_file(local.path / "big.bin", bytes);
    std::size_t up_calls = 0;
    dt::transfer_progress last;
    dt::transfer_options opts{.on_progress = [&](const dt::transfer_progress& p) {
        ++up_calls;
        last = p;
    }};
    ASSERT_TRUE(await(sb.fs().upload(
        "/tmp/big.bin", dt::upload_source::from_path((local.path / "big.bin").string()),
        std::move(opts))));
    EXPECT_GT(up_calls, 100u);  // a piece at a time, not one buffer
    EXPECT_EQ(last.bytes, bytes.size());
    EXPECT_EQ(last.files_done, 1u);
    std::size_t down_calls = 0;
    dt::transfer_options dopts{.on_progress = [&](const dt::transfer_progress&) {
        ++down_calls;
    }};
    ASSERT_TRUE(await(sb.fs().download_to_path("/tmp/big.bin", (local.path / "back.bin").string(),
                                               std::move(dopts))));
    EXPECT_GT(down_calls, 10u);
    EXPECT_TRUE(read_file(local.path / "back.bin") == bytes);
    // The same file through a bulk download into a local path.
    std::vector<dt::download_entry> one{
        {.path = "/tmp/big.bin",
         .target = dt::download_target::to_path((local.path / "bulk.bin").string())}};
    auto bulk = await(sb.fs().download_files(std::move(one)));
    ASSERT_TRUE(bulk) << bulk.error();
    ASSERT_TRUE((*bulk)[0].ok());
    EXPECT_EQ((*bulk)[0].size, bytes.size());
    EXPECT_TRUE((*bulk)[0].data.empty());
    EXPECT_TRUE(read_file(local.path / "bulk.bin") == bytes);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Files, BulkDownloadReportsErrorsPerFile) {
    auto sb = make();
    ASSERT_TRUE(await(sb.fs().upload("/tmp/e/ok.txt", dt::upload_source::from_memory("fine"))));
    auto sink = std::make_shared<collecting_sink>();
    std::vector<dt::download_entry> wanted{
        {.path = "/tmp/e/ok.txt"},
        {.path = "/tmp/e/missing.txt"},
        {.path = "/tmp/e"},
        {.path = "/tmp/e/ok.txt", .target = dt::download_target::to_sink(sink)},
    };
    auto r = await(sb.fs().download_files(std::move(wanted)));
    ASSERT_TRUE(r) << r.error();
    ASSERT_EQ(r->size(), 4u);
    EXPECT_TRUE((*r)[0].ok());
    EXPECT_EQ((*r)[0].data, "fine");
    ASSERT_FALSE((*r)[1].ok());
    EXPECT_EQ(*(*r)[1].failure, dt::condition::not_found);
    EXPECT_EQ((*r)[1].failure->service_code(), "FILE_NOT_FOUND");
    EXPECT_EQ((*r)[1].failure->operation(), "download_files");
    EXPECT_NE((*r)[1].failure->message().find("missing.txt"), std::string::npos);
    ASSERT_FALSE((*r)[2].ok());
    EXPECT_EQ((*r)[2].failure->http_status(), 400);
    EXPECT_TRUE((*r)[3].ok());
    EXPECT_EQ(sink->bytes, "fine");
    EXPECT_EQ(sink->finished, 1);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Files, FindSearchAndReplace) {
    auto sb = make();
    auto fs = sb.fs();
    std::vector<dt::upload_entry> files{
        {.source = dt::upload_source::from_memory("alpha\nneedle one\n"),
         .destination = "/tmp/s/a.py"},
        {.source = dt::upload_source::from_memory("needle two\n"),
         .destination = "/tmp/s/sub/b.txt"},
    };
    ASSERT_TRUE(await(fs.upload_files(std::move(files))));
    auto found = await(fs.find("/tmp/s", "needle"));
    ASSERT_TRUE(found) << found.error();
    ASSERT_EQ(found->size(), 2u);
    for (const auto& m : *found) {
        if (m.file == "/tmp/s/a.py") {
            EXPECT_EQ(m.line, 2);
            EXPECT_EQ(m.content, "needle one");
        } else {
            EXPECT_EQ(m.file, "/tmp/s/sub/b.txt");
            EXPECT_EQ(m.line, 1);
        }
    }
    auto py = await(fs.search("/tmp/s", "*.py"));
    ASSERT_TRUE(py) << py.error();
    ASSERT_EQ(py->size(), 1u);
    EXPECT_EQ((*py)[0], "/tmp/s/a.py");
    auto replaced = await(fs.replace({"/tmp/s/a.py", "/tmp/s/none.txt"}, "needle", "pin"));
    ASSERT_TRUE(replaced) << replaced.error();
    ASSERT_EQ(replaced->size(), 2u);
    EXPECT_TRUE((*replaced)[0].success);
    EXPECT_FALSE((*replaced)[1].success);
    EXPECT_FALSE((*replaced)[1].error.empty());
    auto text = await(fs.download("/tmp/s/a.py"));
    ASSERT_TRUE(text);
    EXPECT_EQ(*text, "alpha\npin one\n");
    ASSERT_TRUE(await(sb.destroy()));
}

TEST(FilesCancellation, AnUploadStuckOnAFullSocketIsCancelled) {
    // A toolbox that takes the request head and then reads nothing: the socket buffers fill and
    // the upload waits in a write, which the cancellation ends.
    std::atomic<bool> stop{false};
    std::string toolbox_url;
    scripted_server srv([&](connection& c, int) {
        for (;;) {
            while (c.buffered().find("\r\n\r\n") == std::string::npos)
                if (!c.fill_once(std::chrono::seconds(10))) return;
            const auto head_end = c.buffered().find("\r\n\r\n") + 4;
            if (c.buffered().rfind("GET ", 0) != 0) break;
            c.consume(head_end);
            const std::string body =
                R"({"id":"sbx-1","name":"sbx-1","state":"started","cpu":1,"memory":1,"disk":1,)"
                R"("toolboxProxyUrl":")" +
                toolbox_url + R"("})";
            c.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body);
        }
        while (!stop)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    });
    toolbox_url = srv.url("/toolbox");
    asio::io_context io;
    dt::client client{
        io.get_executor(),
        {.api_url = srv.url("/api"), .api_key = "test-key", .retry = dt::retry_options::none()}};
    auto sb = dt::run_sync(io, client.get("sbx-1"));
    ASSERT_TRUE(sb) << sb.error();
    asio::cancellation_signal signal;
    std::size_t progress_calls = 0;
    dt::transfer_options opts{.on_progress = [&](const dt::transfer_progress&) {
        ++progress_calls;
    }};
    std::optional<dt::result<void>> out;
    asio::co_spawn(
        io,
        sb->fs().upload("/tmp/cancelled.bin",
                        dt::upload_source::from_memory(std::string(64 << 20, 'x')),
                        std::move(opts)),
        asio::bind_cancellation_slot(signal.slot(), [&](std::exception_ptr, dt::result<void> r) {
            out.emplace(std::move(r));
        }));
    asio::steady_timer t(io, 300ms);
    t.async_wait([&](std::error_code) { signal.emit(asio::cancellation_type::terminal); });
    io.restart();
    io.run();
    stop = true;
    ASSERT_TRUE(out.has_value());
    ASSERT_FALSE(*out);
    EXPECT_EQ(out->error(), dt::condition::cancelled) << out->error();
    EXPECT_EQ(out->error().operation(), "upload_files");
    EXPECT_GT(progress_calls, 0u);
    EXPECT_LT(progress_calls, std::size_t{(64 << 20) / (64 << 10)});  // it did not finish
}
