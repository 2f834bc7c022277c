// SPDX-License-Identifier: Apache-2.0
// Language servers against the emulator, which runs a real one (pylsp): start, open a small
// Python file, completions, document and workspace symbols, close, stop, and the errors.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

using namespace daytona_test;

namespace {

class Lsp : public emulator_test {};

constexpr const char* app_py =
    "import os\n"                       // 0
    "\n"                                // 1
    "\n"                                // 2
    "class Greeter:\n"                  // 3
    "    def greet(self, name):\n"      // 4
    "        return 'hello ' + name\n"  // 5
    "\n"                                // 6
    "\n"                                // 7
    "def make_greeter():\n"             // 8
    "    return Greeter()\n"            // 9
    "\n"                                // 10
    "\n"                                // 11
    "os.pa\n";                          // 12

const dt::lsp_symbol* find_symbol(const std::vector<dt::lsp_symbol>& all, std::string_view name) {
    auto it = std::find_if(all.begin(), all.end(), [&](const auto& s) { return s.name == name; });
    return it == all.end() ? nullptr : &*it;
}

}  // namespace

TEST_F(Lsp, CompletionsAndSymbolsOfAPythonFile) {
    auto sb = make();
    dt::exec_options o{.env = {{"APP", app_py}}};
    ASSERT_TRUE(await(sb.process().exec(
        "mkdir -p /tmp/proj && printf '%s' \"$APP\" > /tmp/proj/app.py", std::move(o))));
    auto lsp = sb.lsp_server("python", "/tmp/proj");
    ASSERT_TRUE(await(lsp.start())) << "pylsp must be installed (tools/packages.txt)";
    ASSERT_TRUE(await(lsp.did_open("app.py")));  // relative to the project

    dt::lsp_position at{.line = 12, .character = 5};
    auto completions = await(lsp.completions("/tmp/proj/app.py", at));
    ASSERT_TRUE(completions) << completions.error();
    std::vector<std::string> labels;
    for (const auto& item : completions->items)
        labels.push_back(item.label);
    EXPECT_NE(std::find(labels.begin(), labels.end(), "path"), labels.end())
        << ::testing::PrintToString(labels);
    EXPECT_NE(std::find(labels.begin(), labels.end(), "pardir"), labels.end());
    for (const auto& item : completions->items) {  // jedi matches the prefix ignoring case
        std::string lower = item.label;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        EXPECT_TRUE(lower.starts_with("pa")) << item.label;
    }

    auto symbols = await(lsp.document_symbols("/tmp/proj/app.py"));
    ASSERT_TRUE(symbols) << symbols.error();
    const auto* greeter = find_symbol(*symbols, "Greeter");
    ASSERT_NE(greeter, nullptr);
    EXPECT_EQ(greeter->kind, 5);  // Class
    EXPECT_EQ(greeter->location.uri, "file:///tmp/proj/app.py");
    EXPECT_EQ(greeter->location.range.start.line, 3);
    const auto* factory = find_symbol(*symbols, "make_greeter");
    ASSERT_NE(factory, nullptr);
    EXPECT_EQ(factory->kind, 12);  // Function
    EXPECT_EQ(factory->location.range.start.line, 8);

    auto found = await(lsp.workspace_symbols("make_"));
    ASSERT_TRUE(found) << found.error();
    const auto* made = find_symbol(*found, "make_greeter");
    ASSERT_NE(made, nullptr);
    EXPECT_EQ(made->location.uri, "file:///tmp/proj/app.py");
    EXPECT_EQ(find_symbol(*found, "Greeter"), nullptr);  // the query does not match it

    ASSERT_TRUE(await(lsp.did_close("app.py")));
    ASSERT_TRUE(await(lsp.stop()));
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Lsp, ErrorsAreTyped) {
    auto sb = make();
    auto cobol = sb.lsp_server("cobol", "/tmp");
    auto refused = await(cobol.start());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error(), dt::errc::invalid_argument);
    EXPECT_EQ(refused.error().info().operation, "lsp_start");
    // Before start: the daemon refuses documents.
    auto python = sb.lsp_server("python", "/tmp");
    auto early = await(python.did_open("/tmp/x.py"));
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error(), dt::condition::bad_request);
    EXPECT_EQ(early.error().info().operation, "lsp_did_open");
    auto missing = await(sb.lsp_server("python", "/no/such/project").start());
    EXPECT_EQ(missing.error(), dt::condition::bad_request);
    EXPECT_EQ(python.uri_of("a/b.py"), "file:///tmp/a/b.py");
    EXPECT_EQ(python.uri_of("/etc/hosts"), "file:///etc/hosts");
    ASSERT_TRUE(await(sb.destroy()));
}
