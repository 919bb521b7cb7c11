package io.flowfleet.core.flow.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowfleet.core.flow.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateCompilerTest {

    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    private static Template compile(String valueJson, List<Reference> refs) throws Exception {
        List<String> problems = new ArrayList<>();
        Template t = TemplateCompiler.compile(json(valueJson), "here", problems, refs::add);
        assertThat(problems).isEmpty();
        return t;
    }

    @Test
    void valuesWithoutTemplatesStayTheSameConstantNode() throws Exception {
        JsonNode value = json("{\"a\":[1,\"two\",{\"b\":null}]}");
        Template t = TemplateCompiler.compile(value, "here", new ArrayList<>(), r -> { });
        assertThat(t.isConstant()).isTrue();
        assertThat(t.resolve(name -> null)).isSameAs(value);
    }

    @Test
    void parsesPathsWithDotsBracketsIndexesAndDashes() {
        List<String> problems = new ArrayList<>();
        Reference r = TemplateCompiler.parseReference("trigger.headers.x-id", "w", problems);
        assertThat(r.root()).isEqualTo("trigger");
        assertThat(r.path()).containsExactly("headers", "x-id");
        assertThat(TemplateCompiler.parseReference("step_1['a.b'][2].c", "w", problems).path()).containsExactly("a.b", 2, "c");
        assertThat(problems).isEmpty();
        assertThat(TemplateCompiler.parseReference("step_1[foo]", "w", problems)).isNull();
        assertThat(TemplateCompiler.parseReference("1 + 2", "w", problems)).isNull();
        assertThat(problems).hasSize(2);
    }

    @Test
    void resolvesAgainstOutputsKeepingTypes() throws Exception {
        List<Reference> refs = new ArrayList<>();
        Template t = compile("{\"n\":\"{{s.n}}\",\"t\":\"{{s.n}}/{{s.list}}/{{s.text}}/{{s.none}}\",\"i\":\"{{s.list.1}}\",\"len\":\"{{s.list.length}}\"}", refs);
        Map<String, JsonNode> outputs = Map.of("s", json("{\"n\":1.5,\"list\":[true,false],\"text\":\"hi\"}"));
        assertThat(t.resolve(outputs::get)).isEqualTo(json("{\"n\":1.5,\"t\":\"1.5/[true,false]/hi/\",\"i\":false,\"len\":2}"));
        assertThat(refs).extracting(Reference::root).containsOnly("s");
    }
}
