// SPDX-License-Identifier: Apache-2.0
// Data that outlives a sandbox: a volume shared by two sandboxes, and a snapshot of a sandbox's
// files that a new sandbox starts from.
//
// With DAYTONA_API_KEY set this talks to Daytona; without it, to an embedded emulator.
#include <daytona.hpp>

#include "example_support.hpp"

#include <array>
#include <ctime>
#include <iostream>

namespace dt = daytona;

//[snapshots_and_volumes
asio::awaitable<int> snapshots_and_volumes(dt::client_options options) {
    auto ex = co_await asio::this_coro::executor;
    dt::client client{ex, std::move(options)};
    const std::string suffix = std::to_string(std::time(nullptr));

    // A volume, mounted by two sandboxes.
    dt::result<dt::volume_info> volume = co_await client.volumes().get_or_create("example-data");
    if (!volume) {
        std::cerr << "volume: " << volume.error() << '\n';
        co_return 1;
    }
    dt::create_params with_volume{.volumes = {{volume->id, "/home/daytona/data", {}}}};
    auto writer = co_await client.create(with_volume);
    auto reader = co_await client.create(with_volume);
    if (!writer || !reader) {
        std::cerr << "create: " << (writer ? reader.error() : writer.error()) << '\n';
        co_return 1;
    }
    co_await writer->process().exec("echo written by " + writer->id() +
                                    " > /home/daytona/data/note.txt");
    auto note = co_await reader->process().exec("cat /home/daytona/data/note.txt");
    std::cout << "the other sandbox reads: " << (note ? note->output : note.error().to_string());

    // A snapshot of the writer's files; a new sandbox starts from it.
    co_await writer->process().exec("mkdir -p project && echo 'print(42)' > project/main.py");
    auto snap = co_await writer->create_snapshot("example-snapshot-" + suffix);
    if (!snap) {
        std::cerr << "snapshot: " << snap.error() << '\n';
        co_return 1;
    }
    std::cout << "snapshot " << snap->name << " is " << dt::to_string(snap->state) << '\n';
    dt::create_params from_snapshot{.snapshot = snap->name};
    auto copy = co_await client.create(std::move(from_snapshot));
    dt::result<dt::exec_result> run;
    if (copy)
        run = co_await copy->process().exec("python3 project/main.py");
    else
        run = copy.error();
    std::cout << "from the snapshot: " << (run ? run->output : run.error().to_string() + "\n");

    // Clean up: the volume can go once no sandbox mounts it.
    const std::array<dt::result<dt::sandbox>*, 3> sandboxes{&writer, &reader, &copy};
    for (auto* sb : sandboxes)
        if (*sb) (void)co_await (*sb)->destroy_and_wait();
    (void)co_await client.snapshots().destroy(snap->name);
    auto removed = co_await client.volumes().destroy(volume->id);
    std::cout << "volume removed: " << (removed ? "yes" : removed.error().to_string()) << '\n';
    co_return note&& run ? 0 : 1;
}
//]

int main() {
    std::unique_ptr<dt::emulator::emulator> local;
    dt::client_options options = example::options(local);
    asio::io_context io;
    return dt::run_sync(io, snapshots_and_volumes(std::move(options)));
}
