# SPDX-License-Identifier: Apache-2.0
# Installs the build into a scratch prefix, then builds and runs a consumer with
# find_package(daytona) and another with pkg-config.
file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}"
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
    message(FATAL_ERROR "install failed")
endif()

execute_process(COMMAND ${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${WORK_DIR}/build"
                        -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX}
                RESULT_VARIABLE rc)
if(rc)
    message(FATAL_ERROR "find_package consumer: configure failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build "${WORK_DIR}/build" RESULT_VARIABLE rc)
if(rc)
    message(FATAL_ERROR "find_package consumer: build failed")
endif()
execute_process(COMMAND "${WORK_DIR}/build/consumer" RESULT_VARIABLE rc)
if(rc)
    message(FATAL_ERROR "find_package consumer: run failed")
endif()

# pkg-config is in the packages tools/run.sh installs: its absence is a failure, not a skip.
find_program(PKG_CONFIG pkg-config)
if(NOT PKG_CONFIG)
    message(FATAL_ERROR "pkg-config is missing: install it (tools/packages.txt lists it)")
endif()
block()
    file(GLOB pc_dirs "${prefix}/lib*/pkgconfig" "${prefix}/lib/*/pkgconfig")
    list(JOIN pc_dirs ":" pc_path)
    set(ENV{PKG_CONFIG_PATH} "${pc_path}")
    execute_process(COMMAND ${PKG_CONFIG} --cflags --libs daytona
                    OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
    if(rc)
        message(FATAL_ERROR "pkg-config does not know daytona")
    endif()
    separate_arguments(flags UNIX_COMMAND "${flags}")
    execute_process(COMMAND ${CXX} -std=c++20 "${SOURCE_DIR}/main.cpp" ${flags}
                            -o "${WORK_DIR}/pc_consumer" RESULT_VARIABLE rc)
    if(rc)
        message(FATAL_ERROR "pkg-config consumer: build failed")
    endif()
    execute_process(COMMAND "${WORK_DIR}/pc_consumer" RESULT_VARIABLE rc)
    if(rc)
        message(FATAL_ERROR "pkg-config consumer: run failed")
    endif()
endblock()
message(STATUS "consumers built and ran against ${prefix}")
