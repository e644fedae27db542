package io.kinora.voice.internal.marytts;

import marytts.datatypes.MaryData;
import marytts.datatypes.MaryDataType;
import marytts.datatypes.MaryXML;
import marytts.modules.InternalModule;
import marytts.util.dom.DomUtils;
import marytts.util.dom.MaryDomUtils;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.Text;
import org.w3c.dom.traversal.DocumentTraversal;
import org.w3c.dom.traversal.NodeFilter;
import org.w3c.dom.traversal.NodeIterator;

import java.util.ArrayList;
import java.util.List;

/**
 * MaryTTS processing module RAWMARYXML to TOKENS, run in place of MaryTTS's JTokeniser (which needs
 * jtok-core 1.9.3, not on Maven Central). {@link MaryStartup} puts this class into MaryTTS's
 * {@code modules.classes.list} and takes the JTokeniser entries out before MaryTTS starts.
 *
 * <p>Output contract (as JTokeniser's): each text node outside a {@code <t>} is replaced by one {@code <t>}
 * element per token ({@link TextTokens}), text nodes already inside {@code <t>} stay; runs of tokens between
 * sentence ends are enclosed in {@code <s>} (with a {@code <boundary>} directly before or after the sentence
 * taken in) unless already inside one, and sentences outside any {@code <p>} are enclosed in one {@code <p>};
 * tokens longer than 100 characters are cut.
 */
public final class KinoraTokeniser extends InternalModule {
    static final int TOKEN_MAXLENGTH = 100;

    public KinoraTokeniser() {
        super("KinoraTokeniser", MaryDataType.RAWMARYXML, MaryDataType.TOKENS, null);
    }

    @Override
    public MaryData process(MaryData d) throws Exception {
        Document doc = d.getDocument();
        tokenize(doc);
        MaryData result = new MaryData(getOutputType(), d.getLocale());
        result.setDocument(doc);
        return result;
    }

    /** Tokenizes a RAWMARYXML document in place. */
    static void tokenize(Document doc) {
        List<Text> texts = new ArrayList<>();
        NodeIterator ni = ((DocumentTraversal) doc).createNodeIterator(doc, NodeFilter.SHOW_TEXT, null, false);
        Node node;
        while ((node = ni.nextNode()) != null) {
            texts.add((Text) node);
        }
        List<Element> tokens = new ArrayList<>();
        List<Boolean> ends = new ArrayList<>();
        for (Text text : texts) {
            if (MaryDomUtils.hasAncestor(text, MaryXML.TOKEN)) {
                Element t = (Element) MaryDomUtils.getAncestor(text, MaryXML.TOKEN);
                if (tokens.isEmpty() || tokens.get(tokens.size() - 1) != t) {
                    tokens.add(t);
                    ends.add(false);
                }
                continue;
            }
            List<TextTokens.Token> found = TextTokens.tokenize(text.getData());
            for (TextTokens.Token tok : found) {
                Element t = MaryXML.createElement(doc, MaryXML.TOKEN);
                String s = tok.text().length() > TOKEN_MAXLENGTH ? tok.text().substring(0, TOKEN_MAXLENGTH) : tok.text();
                MaryDomUtils.setTokenText(t, s);
                text.getParentNode().insertBefore(t, text);
                tokens.add(t);
                ends.add(tok.endsSentence());
            }
            text.getParentNode().removeChild(text);
        }
        if (tokens.isEmpty()) {
            return;
        }
        ends.set(ends.size() - 1, true);
        List<Element> sentences = new ArrayList<>();
        int first = 0;
        for (int k = 0; k < tokens.size(); k++) {
            if (!ends.get(k)) continue;
            Element s = encloseSentence(tokens.get(first), tokens.get(k));
            if (s != null) sentences.add(s);
            first = k + 1;
        }
        // sentences outside any paragraph: one paragraph around them, as JTokeniser does
        List<Element> loose = new ArrayList<>();
        for (Element s : sentences) {
            if (!MaryDomUtils.hasAncestor(s, MaryXML.PARAGRAPH)) loose.add(s);
        }
        if (!loose.isEmpty() && loose.get(0).getParentNode() == loose.get(loose.size() - 1).getParentNode()) {
            DomUtils.encloseNodesWithNewElement(loose.get(0), loose.get(loose.size() - 1), MaryXML.PARAGRAPH);
        }
    }

    private static Element encloseSentence(Element first, Element last) {
        if (MaryDomUtils.hasAncestor(first, MaryXML.SENTENCE) || MaryDomUtils.hasAncestor(last, MaryXML.SENTENCE)) {
            return null;
        }
        Node firstPara = MaryDomUtils.getAncestor(first, MaryXML.PARAGRAPH);
        Node lastPara = MaryDomUtils.getAncestor(last, MaryXML.PARAGRAPH);
        if (firstPara != lastPara) {
            return null;
        }
        Element from = first;
        Element before = DomUtils.getPreviousSiblingElement(first);
        if (before != null && before.getTagName().equals(MaryXML.BOUNDARY)) from = before;
        Element to = last;
        Element after = DomUtils.getNextSiblingElement(last);
        if (after != null && after.getTagName().equals(MaryXML.BOUNDARY)) to = after;
        return DomUtils.encloseNodesWithNewElement(from, to, MaryXML.SENTENCE);
    }
}
