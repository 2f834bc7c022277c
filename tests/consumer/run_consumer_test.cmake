# SPDX-License-Identifier: Apache-2.0
# Builds and runs tests/consumer/main.cpp in a project that takes daytona-cpp the way MODE says:
#   install           `cmake --install` into a scratch prefix, then find_package(daytona) and
#                     pkg-config consumers
#   add_subdirectory  the source tree added to the consumer's build, header-only
#   fetch_content     FetchContent from an archive of the source tree, compiled separately (a
#                     parent project that turns on DAYTONA_SEPARATE_COMPILATION)
#   meson             a Meson consumer with daytona-cpp as a subproject, and a Meson install
#                     used through pkg-config
# Every tool these need is in the packages tools/run.sh installs: a missing one is a failure.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(run what)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(rc)
        message(FATAL_ERROR "${what} failed (${rc}):\n${out}")
    endif()
endfunction()

# A CMake consumer project in WORK_DIR/<name>, configured with the extra arguments, built, run.
function(cmake_consumer name)
    run("${name} consumer: configure" ${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/consumer"
        -B "${WORK_DIR}/${name}" -G Ninja -DCMAKE_CXX_COMPILER=${CXX} ${ARGN})
    run("${name} consumer: build" ${CMAKE_COMMAND} --build "${WORK_DIR}/${name}")
    run("${name} consumer: run" "${WORK_DIR}/${name}/consumer")
endfunction()

# Compiles main.cpp with the flags pkg-config gives for the .pc files under `prefix`, and runs it.
# With a third argument SEPARATE, the way asio users compile it separately: every TU defines
# DAYTONA_SEPARATE_COMPILATION and one more TU of the program includes <daytona/src.hpp>.
function(pkg_config_consumer name prefix)
    find_program(PKG_CONFIG pkg-config)
    if(NOT PKG_CONFIG)
        message(FATAL_ERROR "pkg-config is missing: install it (tools/packages.txt lists it)")
    endif()
    file(GLOB pc_dirs "${prefix}/lib*/pkgconfig" "${prefix}/lib/*/pkgconfig")
    list(JOIN pc_dirs ":" pc_path)
    set(ENV{PKG_CONFIG_PATH} "${pc_path}")
    execute_process(COMMAND ${PKG_CONFIG} --cflags --libs daytona
                    OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
    if(rc)
        message(FATAL_ERROR "${name}: pkg-config does not know daytona under ${prefix}")
    endif()
    separate_arguments(flags UNIX_COMMAND "${flags}")
    set(sources "${SOURCE_DIR}/tests/consumer/main.cpp")
    if(ARGV2 STREQUAL "SEPARATE")
        file(WRITE "${WORK_DIR}/${name}_src.cpp" "#include <daytona/src.hpp>\n")
        list(APPEND sources "${WORK_DIR}/${name}_src.cpp")
        list(APPEND flags -DDAYTONA_SEPARATE_COMPILATION)
    endif()
    run("${name}: build" ${CXX} -std=c++20 ${sources} ${flags} -o "${WORK_DIR}/${name}_consumer")
    run("${name}: run" "${WORK_DIR}/${name}_consumer")
endfunction()

if(MODE STREQUAL "install")
    set(prefix "${WORK_DIR}/prefix")
    run("cmake --install" ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
    cmake_consumer(find_package -DCMAKE_PREFIX_PATH=${prefix})
    pkg_config_consumer(pkg_config "${prefix}")
elseif(MODE STREQUAL "add_subdirectory")
    cmake_consumer(${MODE} -DDAYTONA_CONSUME=${MODE} -DDAYTONA_SOURCE=${SOURCE_DIR})
elseif(MODE STREQUAL "fetch_content")
    # A release-style archive of what a consumer needs (FetchContent would copy a directory
    # whole, build folders included).
    set(archive "${WORK_DIR}/daytona-cpp.tar.gz")
    run("archive the sources" ${CMAKE_COMMAND} -E chdir "${SOURCE_DIR}"
        ${CMAKE_COMMAND} -E tar czf "${archive}" CMakeLists.txt meson.build meson_options.txt
        cmake include single_include src LICENSE)
    # The library compiled once into a static daytona::daytona (its CMake option), here rather
    # than in the add_subdirectory consumer: each mode is then compiled once by a subproject.
    cmake_consumer(${MODE} -DDAYTONA_CONSUME=${MODE} -DDAYTONA_SOURCE=${archive}
                   -DDAYTONA_SEPARATE_COMPILATION=ON)
elseif(MODE STREQUAL "meson")
    find_program(MESON meson)
    if(NOT MESON)
        message(FATAL_ERROR "meson is missing: install it (tools/packages.txt lists it)")
    endif()
    # The consumer's source folder, with this tree as subprojects/daytona-cpp.
    set(src "${WORK_DIR}/meson_consumer")
    file(MAKE_DIRECTORY "${src}/subprojects")
    file(COPY "${SOURCE_DIR}/tests/consumer/meson.build" "${SOURCE_DIR}/tests/consumer/main.cpp"
         DESTINATION "${src}")
    file(CREATE_LINK "${SOURCE_DIR}" "${src}/subprojects/daytona-cpp" SYMBOLIC)
    set(ENV{CXX} "${CXX}")
    run("meson subproject consumer: setup" ${MESON} setup "${WORK_DIR}/meson_build" "${src}"
        --force-fallback-for=daytona --buildtype=plain)
    run("meson subproject consumer: build" ${MESON} compile -C "${WORK_DIR}/meson_build")
    run("meson subproject consumer: run" "${WORK_DIR}/meson_build/consumer")
    # Meson's own install of the library, used through its .pc.
    set(prefix "${WORK_DIR}/meson_prefix")
    run("meson install: setup" ${MESON} setup "${WORK_DIR}/meson_lib" "${SOURCE_DIR}"
        -Dtests=false -Dexamples=false -Demulator=false --buildtype=plain --prefix "${prefix}")
    run("meson install" ${MESON} install -C "${WORK_DIR}/meson_lib" --quiet)
    pkg_config_consumer(meson_pkg_config "${prefix}")
    # A header-only install compiled separately by its user: the define everywhere, and
    # <daytona/src.hpp> in one more TU of the program.
    pkg_config_consumer(meson_pkg_config_separate "${prefix}" SEPARATE)
else()
    message(FATAL_ERROR "unknown MODE: ${MODE}")
endif()
message(STATUS "the ${MODE} consumers built and ran")
